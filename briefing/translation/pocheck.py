"""The PO checks that fit a publication's Markdown, run with translate-toolkit's pofilter.

pofilter's `variables` check is told what a note marker looks like ([^id]), so that a marker
changed, lost or added is found; the other checks are the ones whose rules hold for every text
(printf-free, no markup tags, the same line breaks, tabs and e-mail addresses). Links are compared
by site when a file is imported (inline.mismatch): a translation may link to its own language's
page, which pofilter's `urls` check would flag."""
from __future__ import annotations

CHECKS = ("variables", "printf", "xmltags", "newlines", "tabs", "emails")


def checker():
    from translate.filters import checks
    config = checks.CheckerConfig(varmatches=[("[^", "]")])
    return checks.StandardChecker(checkerconfig=config, excludefilters={}, limitfilters=list(CHECKS))


def failures(store) -> list[tuple[object, str, str]]:
    """(unit, check, message) for every translated unit of a PO store that fails a check."""
    run = checker()
    found = []
    for unit in store.units:
        if unit.isheader() or not unit.target:
            continue
        for name, message in sorted(run.run_filters(unit).items()):
            found.append((unit, name, str(message)))
    return found
