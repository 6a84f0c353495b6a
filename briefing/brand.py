"""The brand: colours, a logo and fonts, read from brand.yml files (posit-dev/brand-yml's format,
the one Quarto, Shiny and pkgdown read).

Three layers, each overriding the one before key by key: the default brand (styles/_brand.yml),
the content folder's `_brand.yml` (every publication in it) and the publication's own. brand_yml
checks the structure; this module checks what printing needs: every colour is a colour, text
colours are legible on their ground, and fonts and logos are files beside the brand file.
The stylesheets take every colour and family from custom properties that css() sets.
"""
from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .paths import confined

STYLES = Path(__file__).resolve().parent.parent / "styles"
DEFAULT = STYLES / "_brand.yml"
FILE = "_brand.yml"

# The colours the stylesheets use, as var(--color-<name>), and where each is in a brand file.
# brand.yml names the page's colours; the builder's own are under defaults.briefing.
COLOURS = {
    "text": ("color", "foreground"),
    "quiet": ("color", "secondary"),
    "accent": ("color", "primary"),
    "rule": ("defaults", "briefing", "rule"),
    "rule-light": ("defaults", "briefing", "rule-light"),
    "tint": ("defaults", "briefing", "tint"),
    "cover": ("defaults", "briefing", "cover"),
    "cover-text": ("defaults", "briefing", "cover-text"),
    "cover-quiet": ("defaults", "briefing", "cover-quiet"),
}
PAPER = "#ffffff"  # print is on white paper; an e-book's text takes the reader's own colours
# Where a brand colour is set as text, on what ground (None: the paper), and what is set so.
# Every one of them has text smaller than 18 pt (14 pt bold), so each needs WCAG's 4.5:1.
TEXT_ON = (
    ("text", None, "body text on the page"),
    ("quiet", None, "second languages, captions, running heads and folios on the page"),
    ("accent", None, "headings, key figures, years and links on the page"),
    ("text", "tint", "text in a box (the news)"),
    ("quiet", "tint", "the second language in a box"),
    ("accent", "tint", "a box's kicker"),
    ("cover-text", "cover", "the cover's publisher, title and date"),
    ("cover-quiet", "cover", "the cover's second language"),
)
MIN_CONTRAST = 4.5
# The families print.css declares from styles/fonts; any other must be a font file of the brand.
BUILT_IN = {"Noto Serif": "serif", "Noto Sans": "sans-serif"}
FONT_ROLES = {"base": ("typography", "base"), "headings": ("typography", "headings")}
FONT_SUFFIXES = (".ttf", ".otf")
LICENCE = re.compile(r"(licen[cs]e|ofl|copying)", re.I)
FAMILY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,62}$")  # written into CSS: no quote, no escape
LOGO_SIZES = ("medium", "large", "small")  # the one logo the builder prints: the first the brand has


@dataclass(frozen=True)
class FontFile:
    family: str
    path: Path
    weight: str   # normal or bold
    style: str    # normal or italic


@dataclass(frozen=True)
class Logo:
    path: Path
    folder: Path      # the brand file's folder, which the file must be inside
    name: str         # as written in the brand file
    where: Problem    # the line that names it, for messages about the picture


@dataclass(frozen=True)
class Brand:
    colours: dict                      # name (COLOURS) -> #rrggbb
    families: dict                     # role (FONT_ROLES) -> family name
    fonts: tuple = ()                  # FontFile, the brand's own
    logo: Logo | None = None
    files: tuple = ()                  # every file the brand was read from: the build's inputs

    def stack(self, role: str) -> str:
        """A CSS font-family list: the brand's family, then the built-in one for the role, so that
        no system font is ever reached."""
        family = self.families[role]
        fallback = "Noto Serif" if role == "base" else "Noto Sans"
        names = [family] if family == fallback else [family, fallback]
        return ", ".join(f'"{name}"' for name in names) + f", {BUILT_IN[fallback]}"

    def properties(self) -> dict[str, str]:
        return {**{f"--color-{name}": value for name, value in self.colours.items()},
                **{f"--font-{role}": self.stack(role) for role in FONT_ROLES}}

    def css(self, base_dir: Path) -> str:
        """The custom properties the stylesheets use, and the brand's @font-face rules with
        addresses from base_dir (where the HTML is read from)."""
        rules = [f"@font-face {{ font-family: \"{f.family}\"; "
                 f"src: url(\"{Path(os.path.relpath(f.path, base_dir)).as_posix()}\"); "
                 f"font-weight: {f.weight}; font-style: {f.style}; }}" for f in self.fonts]
        props = " ".join(f"{name}: {value};" for name, value in self.properties().items())
        return "\n".join([*rules, f":root {{ {props} }}"])

    def resolve(self, css: str) -> str:
        """A stylesheet with every var() of the brand replaced by its value: the e-book's, read by
        reading systems that know no custom properties."""
        props = self.properties()
        return re.sub(r"var\((--[a-z-]+)\)", lambda m: props.get(m.group(1), m.group(0)), css)


def layers(root: Path) -> list[Path]:
    """The brand files of a publication folder, the default first."""
    return list(dict.fromkeys(path.resolve() for path in (DEFAULT, root.parent / FILE, root / FILE) if path.is_file()))


def default() -> Brand:
    """The default brand alone (styles/_brand.yml)."""
    brand, problems = load(STYLES)
    assert not problems, problems  # the project's own file: a test checks it
    return brand


def load(root: Path) -> tuple[Brand | None, list[Problem]]:
    """The publication's brand, or its problems, each at its file and line."""
    from .content import read_yaml  # the content loader's YAML reading: limits, lines, messages
    docs, problems = [], []
    for path in layers(Path(root)):
        doc, read = read_yaml(path, str(path))
        problems += read
        if doc is not None:
            if not isinstance(doc.data, dict):
                problems.append(Problem(doc.file, 1, 1, "", "a brand file is a mapping: meta, color, logo, "
                                                            "typography, defaults"))
            else:
                docs.append((path, doc))
    if problems:
        return None, problems
    merged, origin = {}, {}
    for path, doc in docs:
        _merge(merged, doc.data)
        for keys, (line, col) in doc.marks.items():
            origin[keys] = Problem(doc.file, line, col, _field(keys), "")
    where = _Where(origin, [doc.file for _, doc in docs])
    problems = _structure(merged, where)
    if problems:
        return None, problems
    colours = _colours(merged, where, problems)
    families, fonts = _fonts(merged, where, problems)
    logo = _logo(merged, where, problems)
    if not problems:
        problems += _contrast(colours, where)
    if problems:
        return None, problems
    files = tuple(sorted({path for path, _ in docs} | {f.path for f in fonts} | ({logo.path} if logo else set())))
    return Brand(colours, families, tuple(fonts), logo, files), []


class _Where:
    """Problems at the line of a brand key, in whichever layer set it last."""

    def __init__(self, origin: dict, order: list[str]):
        self.origin, self.order = origin, order
        self.values = {}  # colour name -> the keys that hold its value (a palette entry it names)

    def at(self, keys: tuple, message: str) -> Problem:
        keys = tuple(keys)
        probe = keys
        while probe and probe not in self.origin:
            probe = probe[:-1]
        base = self.origin.get(probe) or Problem(str(DEFAULT), None, None, "", "")
        return Problem(base.file, base.line, base.column, _field(keys), message)

    def file(self, keys: tuple) -> Path:
        return Path(self.at(keys, "").file).parent

    def rank(self, keys: tuple) -> int:
        """How specific the layer is that set this key: later layers rank higher."""
        file = self.at(keys, "").file
        return self.order.index(file) if file in self.order else -1


def _merge(into: dict, layer: dict) -> None:
    for key, value in layer.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _field(keys) -> str:
    return ".".join(str(k) for k in keys)


def _structure(merged: dict, where: _Where) -> list[Problem]:
    """brand_yml's checks: known keys, and values of the right kinds."""
    from brand_yml import Brand as BrandYml
    from pydantic import ValidationError
    try:
        BrandYml.model_validate(copy.deepcopy(merged))  # it fills in what it infers
    except ValidationError as exc:
        problems = {}
        for error in exc.errors():
            keys = _keys(merged, error["loc"])
            message = ("is not a brand.yml field" if error["type"] == "extra_forbidden"
                       else error["msg"][0].lower() + error["msg"][1:])
            problems.setdefault(keys, where.at(keys, message + " (see the brand file reference in the README)"))
        return list(problems.values())
    except ValueError as exc:  # brand_yml's own checks, outside pydantic's (a circular colour name)
        return [where.at(("color",), str(exc))]
    return []


def _keys(data, loc) -> tuple:
    """pydantic's error location, less the names of the types it tried (which are no keys)."""
    keys = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
            keys.append(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
            keys.append(part)
    return tuple(keys)


def _get(data: dict, keys: tuple):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _colours(merged: dict, where: _Where, problems: list) -> dict:
    """Each colour the stylesheets use as #rrggbb: a palette name or a theme colour's name is
    followed to its value, and any CSS colour is read with ColorAide."""
    from coloraide import Color
    palette = (merged.get("color") or {}).get("palette") or {}
    theme = {k: v for k, v in (merged.get("color") or {}).items() if k != "palette"}
    colours, where.values = {}, {}
    for name, keys in COLOURS.items():
        value, seen, holder = _get(merged, keys), [], keys
        while isinstance(value, str) and (value in palette or value in theme) and value not in seen:
            seen.append(value)
            holder = ("color", "palette", value) if value in palette else ("color", value)
            value = palette.get(value, theme.get(value))
        where.values[name] = holder
        if value is None:
            problems.append(where.at(keys, "is missing: the stylesheets need this colour"))
            continue
        try:
            colour = Color(str(value)).convert("srgb")
        except ValueError:
            problems.append(where.at(keys, f"{value!r} is not a colour: write #rrggbb, or name a colour of "
                                           "color.palette"))
            continue
        if colour.alpha() < 1:
            problems.append(where.at(keys, f"{value!r} is transparent; print needs an opaque colour"))
            continue
        colours[name] = colour.fit("srgb").to_string(hex=True, compress=False)
    return colours


def _contrast(colours: dict, where: _Where) -> list[Problem]:
    """WCAG 2's contrast ratio of every text colour on its ground."""
    from coloraide import Color
    problems = []
    for text, ground, what in TEXT_ON:
        found = Color(colours[text]).contrast(colours[ground] if ground else PAPER, method="wcag21")
        if round(found, 2) < MIN_CONTRAST:
            keys = where.values.get(text, COLOURS[text])
            if ground and where.rank(where.values.get(ground, COLOURS[ground])) > where.rank(keys):
                keys = where.values.get(ground, COLOURS[ground])  # the colour changed last is the one to look at
            ground_name = f"{_field(COLOURS[ground])} {colours[ground]}" if ground else f"the white paper {PAPER}"
            problems.append(where.at(keys, f"{_field(COLOURS[text])} {colours[text]} on {ground_name} has a contrast "
                                           f"of {found:.2f}:1 where it is {what}; text needs at least "
                                           f"{MIN_CONTRAST}:1: darken or lighten one of them"))
    return problems


def _fonts(merged: dict, where: _Where, problems: list) -> tuple[dict, list]:
    """The family of each role, and the brand's font files (typography.fonts, source: file)."""
    typography = merged.get("typography") or {}
    files, declared = [], set()
    for i, font in enumerate(typography.get("fonts") or []):
        keys = ("typography", "fonts", i)
        source = font.get("source", "file")
        if source != "file":
            problems.append(where.at(keys + ("source",), f"source: {source} fetches fonts or takes them from the "
                                                         "computer; the builder embeds only font files beside the "
                                                         "brand file: source: file, with files: [path: …]"))
            continue
        family = font.get("family", "")
        if not FAMILY.match(family):
            problems.append(where.at(keys + ("family",), "a family name has letters, digits, spaces, - and _ only"))
            continue
        declared.add(family)
        for j, entry in enumerate(font.get("files") or []):
            entry_keys = keys + ("files", j)
            name = entry["path"] if isinstance(entry, dict) else entry
            folder = where.file(entry_keys + ("path",))
            problem = _font_file(folder, str(name))
            if problem:
                problems.append(where.at(entry_keys + ("path",), problem))
                continue
            weight = str(entry.get("weight", "normal")) if isinstance(entry, dict) else "normal"
            style = entry.get("style", "normal") if isinstance(entry, dict) else "normal"
            if weight not in ("normal", "bold", "400", "700"):
                problems.append(where.at(entry_keys + ("weight",), "the builder sets normal (400) and bold (700) "
                                                                  "text only: give one of those"))
                continue
            files.append(FontFile(family, (folder / str(name)).resolve(),
                                  "bold" if weight in ("bold", "700") else "normal", style))
    families = {}
    for role, keys in FONT_ROLES.items():
        value = _get(merged, keys)
        family = value.get("family") if isinstance(value, dict) else value
        if family not in BUILT_IN and family not in declared:
            problems.append(where.at(keys, f"the family {family!r} is not one of the brand's font files "
                                           f"(typography.fonts, source: file) nor {' or '.join(BUILT_IN)}"))
        families[role] = family
    for family in declared & set(families.values()):
        styles = {(f.weight, f.style) for f in files if f.family == family}
        if ("normal", "normal") not in styles:
            problems.append(where.at(("typography", "fonts"), f"{family} has no regular (normal weight, "
                                                              "upright) file"))
    return families, [f for f in files if f.family in families.values()]


SAFE_PATH = re.compile(r"^[A-Za-z0-9._ /-]{1,200}$")  # written into CSS's url(""): no quote, no escape


def licence(font: Path) -> Path | None:
    """The licence file beside a font file."""
    return next((other for other in sorted(font.parent.iterdir()) if other.is_file() and LICENCE.match(other.name)),
                None)


def _font_file(folder: Path, name: str) -> str | None:
    if not SAFE_PATH.match(name):
        return f"{name!r}: name font files and folders with letters, digits, spaces, '.', '-' and '_' only"
    refused = confined(folder, name)
    if refused:
        return refused.replace("the publication folder", f"the brand file's folder ({folder})")
    path = folder / name
    if not path.is_file():
        return f"{name} is missing from {folder}"
    if path.suffix.lower() not in FONT_SUFFIXES:
        return f"{name}: give a TrueType (.ttf) or OpenType (.otf) file"
    if licence(path) is None:
        return (f"{name} has no licence beside it: put the font's licence file (OFL.txt, LICENSE…) in "
                f"{path.parent}")
    try:
        from fontTools.ttLib import TTFont
        with TTFont(str(path), lazy=True) as font:
            font.getBestCmap()
    except Exception as exc:  # noqa: BLE001 - any reader failure is a broken file, said as such
        return f"{name} cannot be read as a font ({type(exc).__name__}); export it again"
    return None


def _logo(merged: dict, where: _Where, problems: list) -> Logo | None:
    """The logo the builder prints: the brand's medium one, else large, else small. A light and
    dark pair gives its light one: paper is light."""
    logo = merged.get("logo")
    if not isinstance(logo, dict):
        return None
    images = logo.get("images") or {}
    for size in LOGO_SIZES:
        value = logo.get(size)
        if value is None:
            continue
        keys = ("logo", size)
        if isinstance(value, dict) and "light" in value:
            value, keys = value["light"], keys + ("light",)
        name = value.get("path") if isinstance(value, dict) else value
        if name in images:
            keys = ("logo", "images", name)
            name = images[name].get("path") if isinstance(images[name], dict) else images[name]
        folder = where.file(keys)
        if re.match(r"^[a-z]+:", str(name)):
            problems.append(where.at(keys, f"{name} is an address; the builder reaches no network: put the "
                                           "file beside the brand file"))
            return None
        refused = confined(folder, str(name))
        if refused or not (folder / str(name)).is_file():
            problems.append(where.at(keys, (refused or f"{name} is missing from {folder}").replace(
                "the publication folder", "the brand file's folder")))
            return None
        return Logo((folder / str(name)).resolve(), folder.resolve(), str(name), where.at(keys, ""))
    return None


def charset(brand: Brand) -> frozenset[int]:
    """The code points every font file of the brand can draw: the glyph gate's, beside Noto's."""
    from .glyphs import cmap
    return frozenset.intersection(*(cmap(font.path) for font in brand.fonts))
