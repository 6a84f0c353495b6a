"""Texts written back into a YAML file with ruamel.yaml's round trip: comments, key order,
quoting, indentation and each text's block style stay as they were, so that `git diff` shows the
changed texts and nothing else."""
from __future__ import annotations

import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
                                      SingleQuotedScalarString)
from ruamel.yaml.util import load_yaml_guess_indent

WIDTH = 88  # where a folded text's lines are broken, as the shipped content is written


class Unchanged(Exception):
    """The round trip would change more than the texts: the file is left alone."""


def _yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-fold what the round trip did not change
    _, indent, offset = load_yaml_guess_indent(text)
    yaml.indent(mapping=2, sequence=indent or 2, offset=offset or 0)
    return yaml


def rewrite(text: str, changes: dict[tuple, str], after: dict[tuple, str] | None = None) -> str:
    """The file `text` with the value at each path (keys and indices to a language's text) set to
    its new text; a missing language is added after the mapping's last language (`after`: path ->
    the key to add it after). Raises Unchanged if the file does not round-trip as it is."""
    yaml = _yaml(text)
    data = yaml.load(text)
    if _dump(yaml, data) != text:
        raise Unchanged("ruamel.yaml would rewrite this file beyond its texts")
    for path, value in changes.items():
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        if last in parent:
            parent[last] = _styled(parent[last], value, _indent(parent, last))
        else:
            sibling = (after or {}).get(path)
            like = parent.get(sibling) if sibling is not None else None
            position = list(parent.keys()).index(sibling) + 1 if sibling in parent else len(parent)
            parent.insert(position, last, _styled(like, value, _indent(parent, sibling)))
            if _blank_after(parent, sibling) and position == len(parent) - 1:
                # what followed the last text (a blank line, a comment) now follows the new one
                parent.ca.items[last] = parent.ca.items.pop(sibling)
    return _dump(yaml, data)


def _dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _indent(parent, key) -> int:
    try:
        return parent.lc.key(key)[1] + 2
    except (AttributeError, KeyError, TypeError):
        return 6


def _styled(old, value: str, indent: int):
    """`value` in the style of the text it replaces (or of a sibling language's)."""
    if isinstance(old, FoldedScalarString) and "\n" not in value.rstrip("\n"):
        new = FoldedScalarString(value)
        new.fold_pos = _folds(value, WIDTH - indent)
        return new
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(value)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    if isinstance(old, SingleQuotedScalarString) and "\n" not in value:
        return SingleQuotedScalarString(value)
    return value


def _folds(value: str, width: int) -> list[int]:
    """Where a folded scalar breaks its lines: at single spaces, each line at most `width`
    characters where the words allow it."""
    folds, start, last = [], 0, None
    for match in re.finditer(r"(?<=\S) (?=\S)", value):
        if match.start() - start > width and last is not None:
            folds.append(last)
            start = last + 1
        last = match.start()
    if len(value) - start > width and last is not None and last > start:
        folds.append(last)
    return folds


def append(text: str, path: tuple, item: dict) -> str:
    """The file `text` with `item` added at the end of the list at `path`, in the list's style."""
    from ruamel.yaml.comments import CommentedMap
    yaml = _yaml(text)
    data = yaml.load(text)
    if _dump(yaml, data) != text:
        raise Unchanged("ruamel.yaml would rewrite this file beyond the new entry")
    sequence = data
    for key in path:
        sequence = sequence[key]
    last = sequence[-1] if len(sequence) else None
    sequence.append(CommentedMap(item))
    if isinstance(last, CommentedMap) and last and _blank_after(last, list(last.keys())[-1]):
        tail = list(last.keys())[-1]
        sequence[-1].ca.items[list(item)[-1]] = last.ca.items.pop(tail)  # a blank line after the list stays after it
    return _dump(yaml, data)


def _blank_after(mapping, key) -> bool:
    """Whether only blank lines or whole-line comments follow the value at `key` (no comment at
    the end of its own line), so that they may move after a new last entry."""
    item = getattr(mapping, "ca", None) and mapping.ca.items.get(key)
    token = item[2] if item and len(item) > 2 else None
    return token is not None and token.value.lstrip(" ").startswith("\n")
