"""Running Windows programs under Wine for the Windows build and its smoke test.

What ../shared/windows.md found, made into code: every Wine console program gets /dev/null for
stdin and a pipe for its output (a file handle makes CPython die in init_sys_streams); every step
has a timeout, and a step that hangs ends the prefix's wineserver and is tried once more; Wine's
own exit code is not trusted for installers (callers check files and the registry). A virtual
screen (Xvfb) is started when there is none, so GUI programs and Qt can run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import struct
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

ROOT = Path(__file__).resolve().parent.parent
ICU_STUB_SOURCE = ROOT / "tests" / "tools" / "wine_icuuc_stub.c"
MINGW_GCC = "x86_64-w64-mingw32-gcc"
# LANG for each locale the smoke test runs in, and the Windows ANSI code page it gives.
LOCALES = {"en_US": ("en_US.UTF-8", "cp1252"), "zh_CN": ("zh_CN.UTF-8", "gbk")}


class WineStepError(RuntimeError):
    """A Wine step failed or hung twice; the message names the step."""


def log(text: str) -> None:
    print(f"[wine] {text}", flush=True)


def windows_path(path: Path | str) -> str:
    """/work/x y/a.txt → Z:\\work\\x y\\a.txt (Wine maps Z: to /)."""
    return str(PureWindowsPath("Z:\\", *PurePosixPath(Path(path).resolve()).parts[1:]))


def clean_environment() -> dict[str, str]:
    """The host's environment without what would leak into Windows programs (PIP_*, PYTHON*,
    our own ZJTB_* settings, a virtualenv)."""
    drop = ("PIP_", "PYTHON", "ZJTB_", "VIRTUAL_ENV", "WINE", "QT_")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop) and k != "DATABASE_URL"}


@dataclass
class Prefix:
    """One Wine prefix (a fake C: drive and registry) in one locale."""

    path: Path
    locale: str = "en_US"
    display: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = clean_environment()
        env.update(
            {
                "WINEPREFIX": str(self.path),
                "WINEARCH": "win64",
                "WINEDEBUG": "-all",
                # No Mono/Gecko download prompts: neither exists here, and a prompt would hang.
                "WINEDLLOVERRIDES": "mscoree,mshtml=",
            }
        )
        lang = LOCALES[self.locale][0]
        env["LANG"] = lang
        env["LC_ALL"] = lang
        if self.display:
            env["DISPLAY"] = self.display
        env.update(self.extra_env)
        env.update(extra)
        return env

    @property
    def encoding(self) -> str:
        """What a console program's piped output is encoded in (the ANSI code page)."""
        return LOCALES[self.locale][1]

    @property
    def drive_c(self) -> Path:
        return self.path / "drive_c"

    def user_folder(self, *parts: str) -> Path:
        users = self.drive_c / "users"
        names = (
            [p.name for p in users.iterdir() if p.name not in ("Public", "public")] if users.exists() else []
        )
        return users.joinpath(names[0] if names else os.environ.get("USER", "root"), *parts)

    def kill(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env(), capture_output=True, timeout=60, check=False)

    def wait_idle(self, timeout: float = 120) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(["wineserver", "-w"], env=self.env(), timeout=timeout, check=False)

    def run(
        self,
        args: Sequence[str],
        *,
        step: str,
        timeout: float,
        retries: int = 1,
        cwd: Path | None = None,
        check: bool = True,
        **extra_env: str,
    ) -> subprocess.CompletedProcess[bytes]:
        """`wine ARGS` with stdin from /dev/null and output through a pipe; on a hang the
        prefix's processes are ended and the step tried again (`retries` times)."""
        for attempt in range(retries + 1):
            started = time.monotonic()
            try:
                result = subprocess.run(
                    ["wine", *args],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    env=self.env(**extra_env),
                    cwd=cwd,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                log(f"{step}: no answer after {timeout:.0f} s (attempt {attempt + 1}); ending wineserver")
                self.kill()
                continue
            log(f"{step}: exit {result.returncode} in {time.monotonic() - started:.1f} s")
            if check and result.returncode != 0:
                tail = result.stdout.decode(self.encoding, "replace")[-4000:]
                if attempt < retries:
                    log(f"{step}: failed, trying once more; output ended with:\n{tail}")
                    self.kill()
                    continue
                raise WineStepError(f"{step} failed (exit {result.returncode}):\n{tail}")
            return result
        raise WineStepError(f"{step} hung {retries + 1} times (each over {timeout:.0f} s)")

    def boot(self, icu_stub: Path) -> None:
        """Create the prefix (if new) and put the ICU test stub into its system32."""
        if not (self.path / "system.reg").exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.run(["wineboot", "--init"], step=f"wineboot {self.path.name}", timeout=300)
            self.wait_idle()
        system32 = self.drive_c / "windows" / "system32"
        shutil.copyfile(icu_stub, system32 / "icuuc.dll")

    def user_registry(self, key: str) -> dict[str, str | int] | None:
        """The values of an HKEY_CURRENT_USER key as Wine saved them (user.reg), None when the
        key is missing. Read from the file rather than through reg.exe, whose piped output is in
        the ANSI code page and loses Chinese text in an English locale; call wait_idle() first
        so that wineserver has written the file."""
        return read_registry_file(self.path / "user.reg", key)


def _unescape(text: str) -> str:
    """A string value of a Wine .reg file: backslash escapes, \\xNNNN for UTF-16 units."""
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        follower = text[index + 1 : index + 2]
        if follower == "x":
            digits = re.match(r"[0-9a-fA-F]{1,4}", text[index + 2 :])
            out.append(chr(int(digits.group(), 16)) if digits else "x")
            index += 2 + (len(digits.group()) if digits else 0)
        else:
            out.append({"n": "\n", "r": "\r", "t": "\t", "0": "\0"}.get(follower, follower))
            index += 2
    return "".join(out)


def read_registry_file(path: Path, key: str) -> dict[str, str | int] | None:
    """Values of `key` (path below the hive, e.g. Software\\Microsoft\\…) in a Wine .reg file."""
    wanted = key.lower().replace("\\", "\\\\")
    values: dict[str, str | int] | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("["):
            if values is not None:
                break
            if line[1:].split("]")[0].lower() == wanted:
                values = {}
            continue
        if values is None:
            continue
        match = re.match(r'^"((?:[^"\\]|\\.)*)"=(.*)$', line)
        if not match:
            continue
        name, raw = _unescape(match[1]), match[2]
        if raw.startswith("dword:"):
            values[name] = int(raw[6:], 16)
        elif raw.startswith('"') and raw.endswith('"'):
            values[name] = _unescape(raw[1:-1])
        elif raw.startswith('str(2):"'):
            values[name] = _unescape(raw[8:-1])
    return values


def pe_section(path: Path, name: str) -> bytes:
    """The raw bytes of one section of a PE file (.text: the code), without trailing padding."""
    data = path.read_bytes()
    header = struct.unpack_from("<I", data, 0x3C)[0]
    if data[header : header + 4] != b"PE\0\0":
        raise ValueError(f"{path} is not a PE file")
    count, optional_size = (
        struct.unpack_from("<H", data, header + 6)[0],
        struct.unpack_from("<H", data, header + 20)[0],
    )
    table = header + 24 + optional_size
    for index in range(count):
        entry = table + 40 * index
        if data[entry : entry + 8].rstrip(b"\0").decode("ascii", "replace") == name:
            size, offset = struct.unpack_from("<II", data, entry + 16)
            return data[offset : offset + size].rstrip(b"\0")
    raise ValueError(f"{path} has no {name} section")


def build_icu_stub(out: Path) -> Path:
    """Compile tests/tools/wine_icuuc_stub.c with mingw-w64 (skipped when up to date)."""
    if out.exists() and out.stat().st_mtime >= ICU_STUB_SOURCE.stat().st_mtime:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([MINGW_GCC, "-O2", "-shared", "-s", "-o", str(out), str(ICU_STUB_SOURCE)], check=True)
    return out


@contextlib.contextmanager
def virtual_screen(size: str = "1366x768x24") -> Iterator[str]:
    """A DISPLAY to use: an Xvfb started here for the duration (a display given by the caller's
    environment is ignored, so screenshots never show a developer's own desktop)."""
    for number in range(91, 120):
        if not Path(f"/tmp/.X{number}-lock").exists():
            break
    display = f":{number}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", size, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.1)
        yield display
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
