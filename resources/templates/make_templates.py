"""Build the built-in report template from the GB/T 9704 specification in app/exports/docx_spec.py.

    /work/venv/bin/python resources/templates/make_templates.py

The template is python-docx's own default document with every style redefined (both Latin and
East-Asian fonts, theme fonts removed), an empty body, and one A4 section with the 公文 margins and
the 22 × 28 document grid. Re-run this script after changing docx_spec and commit the result;
tests/unit/test_reports_docx_template.py checks that the committed file matches the specification.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.exports.docx_spec import apply_gbt9704  # noqa: E402
from app.exports.docx_template import BUILTIN_TEMPLATE  # noqa: E402


def build_template(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.element.body.clear_content()
    apply_gbt9704(document)
    properties = document.core_properties
    properties.title = "公文报告模板（GB/T 9704-2012）"
    properties.author = "住建填报助手"
    properties.comments = "由 resources/templates/make_templates.py 生成。修改样式即可改变导出报告的版式。"
    properties.last_modified_by = "住建填报助手"
    properties.revision = 1
    from datetime import datetime

    stamp = datetime(2024, 1, 1)
    properties.created = stamp
    properties.modified = stamp
    document.save(str(path))
    return path


def main() -> None:
    target = Path(__file__).resolve().parent / BUILTIN_TEMPLATE
    build_template(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
