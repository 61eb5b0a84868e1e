"""`gaoxin` — the command line of DESIGN.md's stable contract.

gaoxin up [--host H] [--port P]   migrate, load the demo into an empty database, serve
gaoxin demo                       load the demo zones
gaoxin import KIND FILE --zone Z  import an Excel roster (all or nothing)
gaoxin export KIND FILE --zone Z  export a roster (identifiers masked)
gaoxin audit verify               check the audit hash chains
gaoxin backup FILE / restore FILE
gaoxin <any manage.py command>    e.g. gaoxin migrate, gaoxin createsuperuser
"""

import os
import sys

COMMANDS = {
    "up": "up",
    "demo": "demo",
    "import": "import_xlsx",
    "export": "export_xlsx",
    "audit": "audit",
    "rebuild-stats": "stations_rebuild_stats",
    "backup": "backup",
    "restore": "restore",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return
    from django.core.management import execute_from_command_line

    command = COMMANDS.get(argv[1], argv[1])
    execute_from_command_line(["gaoxin", command, *argv[2:]])


if __name__ == "__main__":
    main()
