"""`greencheck backup --out FILE`, `greencheck backup --verify FILE`, `greencheck restore FILE`.

One ZIP: a consistent copy of the database (SQLite's online backup, safe while the bot runs),
the evidence file store and a manifest of hashes. Restore verifies every hash first.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.common import existing_db_path, fail, load_settings, say, sub_command


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.services import backup

    if args.verify:
        problems = backup.verify(Path(args.verify))
        if problems:
            for p in problems:
                print(p)
            return fail("cli_backup_bad", path=args.verify)
        say("cli_backup_ok", path=args.verify)
        return 0
    if not args.out:
        return fail("cli_backup_bad", path="--out")
    from bot.files.store import FileStore
    from bot.store.db import connect

    settings = load_settings()
    db = connect(existing_db_path())
    done = backup.backup(db, FileStore(settings.files_dir), Path(args.out))
    say("cli_backup_done", out=args.out, files=done.files, bytes=done.bytes, db=done.db_sha256[:12])
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.services import backup

    to = Path(args.to) if args.to else Path.cwd()
    try:
        done = backup.restore(Path(args.file), to)
    except backup.BackupError as exc:
        return fail("cli_restore_refused", problems="; ".join(exc.problems[:5]))
    say("cli_restore_done", to=to, files=done.files, answers=done.answers, evidence=done.evidence)
    return 0


def add_commands(sub: Any) -> None:
    """Register backup and restore."""
    p = sub_command(
        sub, "backup", "write one archive: database + evidence files + manifest; or --verify one",
        "greencheck backup --out greencheck-backup.zip", cmd_backup,
    )  # fmt: skip
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--out", help="the archive to write (.zip)")
    how.add_argument("--verify", metavar="FILE", help="check an archive's hashes")
    p = sub_command(
        sub, "restore", "restore an archive (every hash verified) into an empty directory",
        "greencheck restore greencheck-backup.zip --to /srv/greencheck", cmd_restore,
    )  # fmt: skip
    p.add_argument("file", help="the archive")
    p.add_argument("--to", help="the directory (default: here); greencheck.db must not exist")
