"""The catalogue: every standard and program, validated, with the cross-file rules (a program
names a known standard). Pure: the files are read by bot.catalog, which hands the parsed data
here; a bad file fails naming the file, the field path and the problem (`StandardError`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from bot.domain.programs import Program
from bot.domain.standards import RULE_KINDS, Standard, StandardError

M = TypeVar("M", Standard, Program)


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for n, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif n and isinstance(loc[n - 1], int) and part in RULE_KINDS:
            continue  # pydantic adds the discriminator tag ('fixed', …) to the path
        else:
            out += f".{part}" if out else part
    return out or "(top level)"


def format_validation_error(path: Path, err: ValidationError) -> str:
    """Render a pydantic error as 'file: field.path: problem' lines."""
    lines = []
    for e in err.errors():
        where, msg = _loc(e["loc"]), e["msg"]
        marker = msg.find("@")
        if marker >= 0 and ": " in msg[marker:]:  # a model validator naming its own field
            inner, _, msg = msg[marker + 1 :].partition(": ")
            where = inner if where == "(top level)" else f"{where}.{inner}"
        lines.append(f"{path}: {where}: {msg}")
    return "\n".join(lines)


def validate(path: Path, data: Mapping[str, Any], model: type[M]) -> M:
    """Validate one file's data as `model`; its id must be the file's name."""
    try:
        item = model.model_validate(data)
    except ValidationError as exc:
        raise StandardError(format_validation_error(path, exc)) from exc
    if item.id != path.stem:
        raise StandardError(f"{path}: id: '{item.id}' does not match the file name")
    return item


class Catalog:
    """All standards and programs, validated once."""

    def __init__(
        self,
        standards: Mapping[str, Standard],
        hashes: Mapping[str, str],
        programs: Mapping[Path, Program],
    ) -> None:
        self.standards = dict(standards)
        self.hashes = dict(hashes)  # standard id -> its file's content hash (a check's version)
        self.programs: dict[str, Program] = {}
        for path, prog in programs.items():
            if prog.standard not in self.standards:
                raise StandardError(f"{path}: standard: unknown standard '{prog.standard}'")
            self.programs[prog.id] = prog

    def program(self, pid: str) -> Program:
        """Return a program by id, or raise StandardError naming the known ones."""
        try:
            return self.programs[pid]
        except KeyError:
            known = ", ".join(sorted(self.programs))
            raise StandardError(
                f"GREENCHECK_PROGRAM: unknown program '{pid}' (known: {known})"
            ) from None

    def standard(self, sid: str) -> Standard:
        try:
            return self.standards[sid]
        except KeyError:
            raise StandardError(f"unknown standard '{sid}'") from None

    def __iter__(self) -> Iterator[Standard]:
        return iter(self.standards.values())
