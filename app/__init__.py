"""住建填报助手 — everything that is not a widget. Never imports Qt widgets."""

APP_NAME = "住建填报助手"
APP_ID = "ZhujianTianbao"
__version__ = "0.1.0"
