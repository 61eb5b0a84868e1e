"""`gaoxin` — the command line of DESIGN.md's stable contract.

Speaks Chinese first (English through the catalogue, like every page), and
fails like a tool, not like a program: every failure is one Chinese line on
stderr and a non-zero exit code; the Python traceback only with --traceback.
"""

import os
import re
import sys
import warnings


def gettext_noop(message: str) -> str:
    """Marks a string for the catalogue (Django's own needs settings; this runs before)."""
    return message


COMMANDS = {
    "up": "up",
    "demo": "demo",
    "import": "import_xlsx",
    "export": "export_xlsx",
    "audit": "audit",
    "rebuild-stats": "stations_rebuild_stats",
    "backup": "backup",
    "restore": "restore",
    "citus": "citus",
}

#: Django's own commands that manage their own process (autoreload); run as Django runs them.
PASS_THROUGH = {"runserver", "shell", "dbshell"}


def usage() -> str:
    from django.utils.translation import gettext as _

    return _(
        "gaoxin —— 高新园区运营平台命令行\n"
        "\n"
        "  gaoxin up [--host H] [--port P]   迁移数据库，空库时加载演示数据，启动服务\n"
        "  gaoxin demo                       加载演示园区数据\n"
        "  gaoxin import 类型 文件 --zone 园区  导入 Excel 名册（全部成功或全部不导入）\n"
        "  gaoxin export 类型 文件 --zone 园区  导出名册（号码已脱敏）\n"
        "  gaoxin audit verify               校验审计哈希链\n"
        "  gaoxin backup 文件                备份全部数据\n"
        "  gaoxin restore 文件               从备份恢复（替换全部数据）\n"
        "  gaoxin citus check|distribute     检查表结构 / 按园区分布到 Citus 集群\n"
        "  gaoxin 其他 Django 管理命令        例如 gaoxin migrate、gaoxin createsuperuser\n"
        "\n"
        "类型：enterprises（企业）或 people（人员）。\n"
        "查看某个命令的参数：gaoxin 命令 --help"
    )


def _argparse_texts() -> dict[str, str]:
    """argparse's and Django's built-in English texts, through our catalogue."""
    from django.utils.translation import gettext as _

    return {
        "usage: ": _("用法："),
        "positional arguments": _("参数"),
        "options": _("选项"),
        "optional arguments": _("选项"),
        "show this help message and exit": _("显示本帮助并退出"),
        "%(prog)s: error: %(message)s\n": _("%(prog)s：参数有误：%(message)s\n"),
    }


ARGPARSE_ERRORS = [  # argparse's English error → a Chinese one (the names stay as typed)
    (re.compile(r"^the following arguments are required: (.*)$"), gettext_noop("缺少参数：%s")),
    (re.compile(r"^unrecognized arguments: (.*)$"), gettext_noop("无法识别的参数：%s")),
    (
        re.compile(r"^argument (\S+): invalid choice: (.*?) \(choose from (.*)\)$"),
        gettext_noop("参数 %s 的取值 %s 无效（可选：%s）"),
    ),
    (
        re.compile(r"^argument (\S+): invalid int value: (.*)$"),
        gettext_noop("参数 %s 应为整数，收到 %s"),
    ),
    (re.compile(r"^argument (\S+): expected one argument$"), gettext_noop("参数 %s 后面缺少取值")),
]

DJANGO_OPTION_HELP = {  # dest → help, for the options every Django command has
    "version": gettext_noop("显示版本号并退出"),
    "verbosity": gettext_noop("输出详细程度：0 最少，1 正常，2 详细，3 非常详细"),
    "settings": gettext_noop(
        "配置模块，例如 config.settings.production；不填时用 DJANGO_SETTINGS_MODULE"
    ),
    "pythonpath": gettext_noop("加入 Python 搜索路径的目录"),
    "traceback": gettext_noop("出错时显示完整的 Python 调用栈（排查问题用）"),
    "no_color": gettext_noop("输出不带颜色"),
    "force_color": gettext_noop("强制输出带颜色"),
    "skip_checks": gettext_noop("跳过系统检查"),
}


def _chinese_argparse() -> None:
    """argparse looks its texts up through a module-level `_` at call time; route it
    through Django's gettext so usage, help and usage errors read in Chinese first."""
    import argparse

    texts = _argparse_texts()
    argparse._ = lambda message: texts.get(message, message)


def _chinese_error(message: str) -> str:
    from django.utils.translation import gettext as _

    for pattern, chinese in ARGPARSE_ERRORS:
        match = pattern.match(message)
        if match:
            return _(chinese) % match.groups()
    return message


def _parser(command, prog_word: str):
    from django.utils.translation import gettext as _

    command._called_from_command_line = True  # usage errors print and exit, not raise
    command.help = str(command.help)  # argparse needs a plain str, not a lazy translation
    parser = command.create_parser("gaoxin", prog_word)
    for action in parser._actions:
        if action.dest in DJANGO_OPTION_HELP:
            action.help = _(DJANGO_OPTION_HELP[action.dest])
    plain_error = parser.error

    def error(message):
        plain_error(_chinese_error(message))

    parser.error = error
    return parser


def _failure_text(exc: BaseException) -> str:
    """What an operator can act on, in Chinese — never Python's own text."""
    from django.db import DatabaseError
    from django.utils.translation import gettext as _

    if isinstance(exc, FileNotFoundError):
        return _("找不到文件或目录：%(path)s") % {"path": exc.filename}
    if isinstance(exc, PermissionError):
        return _("没有读写权限：%(path)s") % {"path": exc.filename}
    if isinstance(exc, OSError):
        return _("文件读写失败：%(path)s") % {"path": exc.filename or "-"}
    if isinstance(exc, DatabaseError):
        return _("数据库出错，操作未完成（检查 DATABASE_URL 与数据库是否可用）")
    return _("操作未完成：内部错误（%(kind)s）") % {"kind": type(exc).__name__}


def _say(line: str) -> None:
    sys.stderr.write(line.rstrip("\n") + "\n")


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    _say(f"{category.__name__}: {message}" if category is not UserWarning else str(message))


def run(argv: list[str]) -> int:
    """Run one command line; return the exit code."""
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import CommandError, get_commands, handle_default_options
    from django.core.management.base import SystemCheckError
    from django.db import connections
    from django.utils.translation import gettext as _

    _chinese_argparse()
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        print(usage())
        return 0
    word, rest = argv[1], argv[2:]
    name = COMMANDS.get(word, word)
    commands = get_commands()
    if name not in commands:
        _say(_("未知命令：%(name)s。运行 gaoxin help 查看可用的命令") % {"name": word})
        return 2
    if name in PASS_THROUGH:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["gaoxin", name, *rest])
        return 0
    from django.core.management import load_command_class

    app = commands[name]
    command = app if not isinstance(app, str) else load_command_class(app, name)
    parser = _parser(command, word)
    options = parser.parse_args(rest)  # usage errors: exit code 2, after the Chinese message
    handle_default_options(options)
    cmd_options = vars(options)
    args = cmd_options.pop("args", ())
    try:
        command.execute(*args, **cmd_options)
    except SystemCheckError as exc:
        _say(str(exc))
        return exc.returncode or 1
    except CommandError as exc:
        if cmd_options.get("traceback"):
            raise
        _say(str(exc))
        return exc.returncode or 1
    except KeyboardInterrupt:
        _say(_("已中断"))
        return 130
    except ImproperlyConfigured as exc:
        if cmd_options.get("traceback"):
            raise
        _say(_("配置有误：%(why)s") % {"why": exc})
        return 1
    except Exception as exc:
        if cmd_options.get("traceback"):
            raise
        _say(_failure_text(exc))
        _say(_("需要技术细节时加 --traceback 重新运行"))
        return 1
    finally:
        connections.close_all()
    return 0


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    warnings.showwarning = _show_warning
    try:
        import django

        django.setup()
    except Exception as exc:  # settings that refuse to load: say why, in one line
        _say(f"配置有误，无法启动：{exc}")
        sys.exit(1)
    try:
        code = run(argv)
    except BrokenPipeError:  # `gaoxin help | head`: the reader has gone, nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    if code:
        sys.exit(code)


if __name__ == "__main__":
    main()
