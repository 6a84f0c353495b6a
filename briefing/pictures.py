"""Pictures: image files (PNG, JPEG, SVG) and charts drawn from content data.

A picture is a mapping with `image` (a file in the publication folder) or `chart` (numbers in the
YAML), wherever it stands: a `figure` section, a `figure` item of a prose section, or the manifest's
`cover_image` and `logo`. This module holds the fields they share, the quality gates every picture
passes before anything is built, and the files each medium receives.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .paths import confined
from . import schema as s

# Where a picture is printed, and how big at most (mm), over every format and paper: the A4
# brochure's text block is 168 mm wide, the fact sheet's 180 mm. The effective resolution is
# measured against these, so a picture that passes prints at 300 dpi or better everywhere.
SIZES = {"column": ("width", 87.0), "full": ("width", 180.0), "page": ("contain", (180.0, 267.0)),
         "cover": ("cover", (216.0, 303.0)), "logo": ("width", 40.0)}
MIN_DPI = 300
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "SVG": "image/svg+xml"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "SVG": "svg"}
MAX_PIXELS = 60_000_000      # a larger raster is a mistake (or a decompression bomb), not a photo
MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_SVG_ELEMENTS = 50_000    # once <use> is expanded; the pack's cover has a few hundred
EPUB_LONG_SIDE = 1600        # rasters are scaled down to this for the EPUB, never for print
OUR_FONTS = {"noto sans", "noto serif"}
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_NS = "http://www.w3.org/1999/xlink"


def fields(codes: list[str], caption: bool = True) -> dict:
    """The fields of a picture, as JSON Schema properties: image or chart, alt, caption, …
    caption=False: an image file only, without caption (the cover image and the logo)."""
    value = {"type": "number", "description": "the number, as the source states it"}
    label = {"oneOf": [dict(s.LINE, maxLength=40), s.text(codes, "", s.LINE, max_length=40)],
             "description": "the bar's or point's label: one text for every language (a year), or one per language"}
    chart = {"type": "object", "required": ["type", "values"], "additionalProperties": False,
             "description": "a chart drawn from numbers in this file, instead of an image file",
             "properties": {
                 "type": {"enum": ["bar", "line"], "description": "bar: one bar per value; line: a line through the values"},
                 "unit": s.text(codes, "what the numbers count, under the axis: people", s.LINE, max_length=60),
                 "values": {"type": "array", "minItems": 2, "maxItems": 24, "description": "the values, in order",
                            "items": {"type": "object", "required": ["label", "value"], "additionalProperties": False,
                                      "properties": {"label": label, "value": value}}}}}
    props = {
        "image": {"type": "string", "minLength": 1,
                  "description": "a PNG, JPEG or SVG file in the publication folder: images/map.svg"},
        **({"chart": chart} if caption else {}),
        "alt": s.text(codes, "what the picture shows, for readers who cannot see it (required unless decorative)",
                      max_length=400),
        "decorative": {"type": "boolean", "description": "true: the picture adds nothing to the text and needs "
                                                        "no alt; readers of the PDF and EPUB skip it"},
    }
    if caption:
        props.update({
            "caption": s.text(codes, "the caption under the picture (required unless decorative)", max_length=400),
            "credit": s.text(codes, "who made the picture, or where it comes from", s.LINE, max_length=200),
            "size": {"enum": list(FIGURE_SIZES), "default": "full",
                     "description": "column: half the text width; full: the text width; page: a page of its own"},
            **s.provenance(),
        })
    return props


FIGURE_SIZES = ("column", "full", "page")


def picture(codes: list[str], description: str, caption: bool = True) -> dict:
    """A picture as a mapping of its own (a prose item's `figure`, the manifest's cover_image)."""
    return {"type": "object", "additionalProperties": False, "description": description,
            "properties": fields(codes, caption)}


PLACES = ("figure", "cover_image", "logo")  # the fields that hold a picture, wherever they stand


def find(data, path: tuple = (), whole: bool = False):
    """(path, picture) for every picture in a loaded document: the value of a `figure`,
    `cover_image` or `logo` field, or the whole document (whole=True: a figure section)."""
    if isinstance(data, dict):
        if whole:
            yield path, data
        for key, child in data.items():
            yield from find(child, path + (key,), key in PLACES and isinstance(child, dict))
    elif isinstance(data, list):
        for i, child in enumerate(data):
            yield from find(child, path + (i,))


@dataclass(frozen=True)
class ImageFile:
    """An image file that passed the gates: what layout and the EPUB need to know of it."""
    path: Path
    format: str       # PNG, JPEG or SVG
    width: float      # pixels (for an SVG, its viewBox or width/height, in user units)
    height: float
    digest: str       # SHA-256 of the file, read once at the gate: the EPUB names the file by it

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def usage(path: tuple, pic: dict) -> str:
    """Where a picture is printed (a SIZES key): the manifest's cover_image and logo, else a figure."""
    return {"cover_image": "cover", "logo": "logo"}.get(path[0] if path else None, pic.get("size", "full"))


def check(root: Path, pictures, strict: bool, also: tuple[Path, ...] = ()):
    """The gates, for every (path, picture) of one document. Returns (files, errors, warnings):
    the image files by their name as written; the others as (path, message). also: folders
    outside root that a file may be in (a brand file's, for its logo)."""
    files, errors, warnings = {}, [], []
    for path, pic in pictures:
        where = usage(path, pic)
        has_image, has_chart = "image" in pic, "chart" in pic
        if has_image == has_chart:
            errors.append((path, "give either image (a file) or chart (numbers), not both" if has_image
                           else "needs image (a file), or a logo in the brand file (_brand.yml)" if where == "logo"
                           else "needs image (a file) or chart (numbers)"))
            continue
        decorative = pic.get("decorative", False)
        if has_chart and not pic.get("sources"):
            errors.append((path + ("chart",), "a chart's numbers need their source: add sources: [id] with the "
                                              "ids of publication.yaml's sources, for the source line under it"))
        if decorative and has_chart:
            errors.append((path + ("decorative",), "a chart carries information, so it cannot be decorative; "
                                                   "remove decorative and describe it in alt"))
        elif decorative and "alt" in pic:
            errors.append((path + ("alt",), "a decorative picture has no alt text; remove alt, "
                                            "or remove decorative: true if the picture informs"))
        elif not decorative and "alt" not in pic:
            errors.append((path + ("alt",), "is missing: describe the picture in every language of the "
                                            "publication, or mark it decorative: true"))
        if where in FIGURE_SIZES and not decorative and "caption" not in pic:
            errors.append((path + ("caption",), "is missing: a figure has a caption in every language"))
        if has_image:
            found, message, low = _image(root, pic["image"], where, also)
            if message:
                errors.append((path + ("image",), message))
            elif low:
                (errors if strict else warnings).append((path + ("image",), low))
            if found:
                files[pic["image"]] = found
    return files, errors, warnings


def _image(root: Path, name: str, usage: str, also: tuple[Path, ...] = ()) -> tuple[ImageFile | None, str | None, str | None]:
    """(file, error, resolution problem) for one image file."""
    refused = confined(root, name)
    inside = [folder for folder in also if (root / name).resolve().is_relative_to(Path(folder).resolve())]
    if inside:
        refused = confined(inside[0], str((root / name).resolve().relative_to(Path(inside[0]).resolve())))
    if refused:
        return None, refused, None
    path = (root / name).resolve()
    if not path.is_file():
        return None, f"{name} is missing from {root}", None
    if path.suffix.lower() == ".svg":
        return _svg(path, name)
    try:
        from PIL import Image
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with Image.open(path) as img:
            fmt, (width, height) = img.format, img.size
            if fmt not in MEDIA_TYPES:
                return None, f"{name} is a {fmt} image; use PNG, JPEG or SVG", None
            img.load()  # decodes every pixel: a truncated file fails here, not in WeasyPrint
    except Image.DecompressionBombError:
        return None, f"{name} has more than {MAX_PIXELS // 1_000_000} million pixels; scale it down", None
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a broken file, reported as such
        return None, f"{name} cannot be read as an image ({type(exc).__name__}: {exc}); export it again as PNG or JPEG", None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ImageFile(path, fmt, width, height, digest), None, _resolution(name, width, height, usage)


def _resolution(name: str, width: int, height: int, usage: str) -> str | None:
    fit, size = SIZES[usage]
    if fit == "width":
        dpi = width / (size / 25.4)
    else:
        across, down = width / (size[0] / 25.4), height / (size[1] / 25.4)
        dpi = max(across, down) if fit == "contain" else min(across, down)
    if dpi >= MIN_DPI:
        return None
    printed = f"{size:g} mm wide" if fit == "width" else f"{size[0]:g} × {size[1]:g} mm"
    return (f"{name} prints at {dpi:.0f} dpi ({width} × {height} px at {printed}); print needs {MIN_DPI} dpi: "
            "use a larger image or a smaller size")


_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.I)


def _css_refusals(css: str, sheet: bool) -> list[str]:
    """What a piece of CSS would load: its at-rules that fetch (@import, @font-face) and every url()
    that is not a fragment (#id). Parsed by tinycss2, so escapes such as @\\69mport or u\\72l( are
    decoded before they are judged. sheet: a <style> element, else a declaration list or a value."""
    import tinycss2

    nodes = tinycss2.parse_stylesheet(css) if sheet else tinycss2.parse_component_value_list(css)
    found, stack = [], list(nodes)
    while stack:
        node = stack.pop()
        kind = getattr(node, "type", "")
        if kind == "at-rule" and node.lower_at_keyword in ("import", "font-face", "namespace"):
            found.append(f"@{node.lower_at_keyword}")
        if kind == "url" and not node.value.startswith("#"):
            found.append(node.value)
        if kind == "function" and node.lower_name in ("url", "src", "image-set", "image"):
            target = tinycss2.serialize(node.arguments).strip().strip("'\"")
            if not target.startswith("#"):
                found.append(target)
        for part in ("prelude", "content", "arguments"):
            stack += [n for n in (getattr(node, part, None) or []) if not isinstance(n, str)]
    return found


def _svg(path: Path, name: str) -> tuple[ImageFile | None, str | None, None]:
    """An SVG may hold only itself: no script, no external file, no font but ours."""
    from lxml import etree
    data = path.read_bytes()
    if len(data) > MAX_SVG_BYTES:
        return None, f"{name} is {len(data) // 1024} KiB; an SVG may have {MAX_SVG_BYTES // 1024} KiB at most", None
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return None, f"{name} is not a well-formed SVG file ({exc})", None
    if root.getroottree().docinfo.doctype:  # entities and external subsets are ways out; SVG needs no DTD
        line = data[: data.find(b"<!DOCTYPE")].count(b"\n") + 1
        return None, f"{name} has a DOCTYPE (line {line}); an SVG needs none: delete it", None
    if root.tag != f"{SVG_NS}svg":
        return None, f"{name} is not an SVG image (its root element is {etree.QName(root).localname})", None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in ("script", "foreignObject"):
            return None, f"{name} contains a <{local}> element (line {element.sourceline}); remove it", None
        for attr, value in element.attrib.items():
            attr_local = etree.QName(attr).localname
            if attr_local.lower().startswith("on"):
                return None, f"{name} has a script in its {attr_local} attribute (line {element.sourceline}); remove it", None
            if attr_local in ("href", "src") and not value.startswith(("#", "data:image/png;", "data:image/jpeg;")):
                return None, (f"{name} refers to {value[:60]!r} (line {element.sourceline}); an SVG may not use "
                              "other files: embed the picture or remove the reference"), None
            # Any attribute may be a presentation attribute holding url(): fill, filter, mask, style…
            for ref in _css_refusals(value, sheet=False):
                return None, (f"{name} refers to {ref[:60]!r} in its {attr_local} attribute (line "
                              f"{element.sourceline}); an SVG may not use other files: remove it"), None
        css = element.text if local == "style" and element.text else ""
        for ref in _css_refusals(css, sheet=True):
            what = "loads fonts or stylesheets" if ref.startswith("@") else f"refers to {ref[:60]!r} in its CSS"
            return None, (f"{name} {what} (line {element.sourceline}); remove it: use our fonts, Noto Sans or "
                          "Noto Serif, and no other file"), None
        css = " ".join(filter(None, [element.get("style"), css]))
        families = [element.get("font-family")] + _FAMILY.findall(css)
        for family in filter(None, families):
            first = family.split(",")[0].strip().strip("'\"").lower()
            if first not in OUR_FONTS:
                return None, (f"{name} sets text in {family.strip()!r} (line {element.sourceline}); only our fonts "
                              "may be used: Noto Sans or Noto Serif, or convert the text to paths"), None
        if local == "text" and not _has_family(element):
            return None, (f"{name} has text without a font (line {element.sourceline}); set "
                          "font-family=\"Noto Sans\", or convert the text to paths"), None
    width, height = _svg_size(root)
    if not width or not height:
        return None, f"{name} has no size: give the <svg> a viewBox", None
    problem = _svg_budget(root, name)
    if problem:
        return None, problem, None
    return ImageFile(path, "SVG", width, height, hashlib.sha256(data).hexdigest()), None, None


def _svg_budget(root, name: str) -> str | None:
    """What drawing the SVG would cost, before anything draws it: its elements once every <use>
    is expanded (a few lines of <use> can stand for 10⁸ shapes, and WeasyPrint's drawing cannot
    be interrupted), and the pixels of the rasters embedded in it, which pass the gate a picture
    file passes."""
    import base64
    import warnings

    from lxml import etree
    from PIL import Image
    by_id = {element.get("id"): element for element in root.iter() if isinstance(element.tag, str) and element.get("id")}
    cost: dict = {}
    resolving: set = set()

    def expanded(element) -> int:
        """An element's cost with what its <use> elements stand for (each target counted as often
        as it is used), bounded by MAX_SVG_ELEMENTS + 1."""
        if element in cost:
            return cost[element]
        if element in resolving:
            raise ValueError(element.sourceline)
        resolving.add(element)
        total, work = 0, [element]
        while work and total <= MAX_SVG_ELEMENTS:
            current = work.pop()
            total += 1
            if etree.QName(current).localname == "use":
                ref = current.get(f"{{{XLINK_NS}}}href") or current.get("href") or ""
                target = by_id.get(ref[1:]) if ref.startswith("#") else None
                if target is not None:
                    total += expanded(target)
            work.extend(child for child in current if isinstance(child.tag, str))
        resolving.discard(element)
        cost[element] = min(total, MAX_SVG_ELEMENTS + 1)
        return cost[element]

    try:
        total = expanded(root)
    except ValueError as loop:
        return f"{name} has a <use> that refers to an element holding it (line {loop.args[0]}): remove the loop"
    if total > MAX_SVG_ELEMENTS:
        return (f"{name} stands for more than {MAX_SVG_ELEMENTS:,} shapes once its <use> elements are expanded; "
                "simplify it, or export it as PNG")
    pixels = 0
    for element in root.iter():
        ref = (element.get(f"{{{XLINK_NS}}}href") or element.get("href") or "") if isinstance(element.tag, str) else ""
        if ref.startswith("data:image/"):
            try:
                raw = base64.b64decode(ref.split(",", 1)[1], validate=False)
                with warnings.catch_warnings():  # the size is all that is read: no bomb goes off here
                    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                    with Image.open(io.BytesIO(raw)) as embedded:
                        pixels += embedded.width * embedded.height
            except Image.DecompressionBombError:
                pixels = MAX_PIXELS + 1
            except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken image
                return f"{name} embeds a picture that cannot be read (line {element.sourceline}); embed a PNG or JPEG"
            if pixels > MAX_PIXELS:
                return (f"{name} embeds pictures of more than {MAX_PIXELS // 1_000_000} million pixels (line "
                        f"{element.sourceline}); scale them down")
    return None


def _has_family(element) -> bool:
    while element is not None:
        if element.get("font-family") or _FAMILY.search(element.get("style") or ""):
            return True
        element = element.getparent()
    return False


def _svg_size(root) -> tuple[float, float]:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return float(box[2]), float(box[3])
        except ValueError:
            pass
    try:
        return float(re.sub(r"(px)?$", "", root.get("width", ""))), float(re.sub(r"(px)?$", "", root.get("height", "")))
    except ValueError:
        return 0.0, 0.0


def context(pic: dict, formats: dict, usage: str = "full") -> dict:
    """A picture as templates use it, its chart's numbers formatted for every language. Its id is
    a hash of its fields, so that the media steps can give each picture its file (srcs[id]) and
    one image used twice is one file."""
    ident = hashlib.sha256(repr(sorted(pic.items())).encode("utf-8")).hexdigest()[:12]
    chart = None
    if "chart" in pic:
        spec = pic["chart"]
        chart = {"type": spec["type"], "values": [v["value"] for v in spec["values"]],
                 "labels": {c: [v["label"] if isinstance(v["label"], str) else v["label"][c] for v in spec["values"]]
                            for c in formats},
                 "texts": {c: [formats[c].number(v["value"]) for v in spec["values"]] for c in formats},
                 "unit": spec.get("unit")}
    return {"id": f"pic-{ident}", "image": pic.get("image"), "chart": chart,
            "alt": pic.get("alt"), "caption": pic.get("caption"), "credit": pic.get("credit"),
            "decorative": pic.get("decorative", False), "size": pic.get("size", usage),
            "sources": list(pic.get("sources", [])), "ours": list(pic.get("ours", []))}


def chart_for(chart: dict, langs: list[str]) -> dict:
    """A chart's data for one edition: its labels in the edition's languages (both, where they
    differ), and each number in every language's format (14.000 and 14,000; 112 once)."""
    def joined(texts: dict | None, sep: str = " / ") -> str | None:
        return None if texts is None else sep.join(dict.fromkeys(texts[l] for l in langs))
    labels = [joined({l: chart["labels"][l][i] for l in langs}, "\n") for i in range(len(chart["values"]))]
    texts = [list(dict.fromkeys(chart["texts"][l][i] for l in langs)) for i in range(len(chart["values"]))]
    return {"type": chart["type"], "values": chart["values"], "labels": labels, "texts": texts,
            "unit": joined(chart["unit"])}


def epub_bytes(image: ImageFile, cache_dir: Path) -> bytes:
    """An image for the EPUB: a raster scaled down to EPUB_LONG_SIDE and saved again without its
    metadata, cached by a hash of the file; an SVG as it is."""
    data = image.path.read_bytes()
    if image.format == "SVG":
        return data
    from .cache import cached, key
    name = key(data, str(EPUB_LONG_SIDE), files=(Path(__file__),), packages=("pillow",))
    return cached(cache_dir / f"picture-{name}.{image.extension}", lambda: _downscale(data, image.format))


def _downscale(data: bytes, fmt: str) -> bytes:
    from PIL import Image
    with Image.open(io.BytesIO(data)) as img:
        img = img.convert("RGBA" if fmt == "PNG" and img.mode in ("RGBA", "LA", "P") else "RGB")
        img.thumbnail((EPUB_LONG_SIDE, EPUB_LONG_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if fmt == "PNG":
            img.save(out, format="PNG", optimize=True)
        else:
            img.save(out, format="JPEG", quality=85, optimize=True, progressive=False)
        return out.getvalue()


def print_srcs(model, langs: list[str], out_dir: Path, cache_dir: Path, ids=None) -> dict[str, str]:
    """The address of every picture (or of those in ids) in an edition's print HTML, written into
    out_dir: image files by their path from there, charts inline as SVG in the edition's languages."""
    import base64
    import os

    from .chart import svg
    srcs = {}
    for ident, pic in model.pictures.items():
        if ids is not None and ident not in ids:
            continue
        if pic["image"]:
            srcs[ident] = os.path.relpath(model.images[pic["image"]].path, out_dir)
        else:
            data = svg(dict(chart_for(pic["chart"], langs), colours=model.brand.colours), pic["size"], cache_dir)
            srcs[ident] = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
    return srcs


def _in_book(model) -> dict:
    """The pictures an EPUB holds as files: all but the cover image, which is drawn into the cover."""
    on_cover = (model.meta["cover_image"] or {}).get("id")
    return {ident: pic for ident, pic in model.pictures.items() if ident != on_cover}


def epub_srcs(model, langs: list[str]) -> dict[str, str]:
    """Each image's file name in an edition's EPUB, by its file's content, so that one image used
    twice is stored once. A chart has no file: it is drawn into the page (inline_charts)."""
    srcs = {}
    for ident, pic in _in_book(model).items():
        if pic["image"] is not None:
            image = model.images[pic["image"]]
            srcs[ident] = f"images/{image.digest[:16]}.{image.extension}"
    return srcs


def inline_charts(model, langs: list[str], cache_dir: Path) -> dict[str, str]:
    """Each chart of an edition's EPUB as an <svg> element, drawn for screens in its languages."""
    from .chart import screen_svg
    return {ident: screen_svg(dict(chart_for(pic["chart"], langs), colours=model.brand.colours), ident,
                              cache_dir).decode("utf-8")
            for ident, pic in model.pictures.items() if pic["chart"]}


def epub_files(model, langs: list[str], cache_dir: Path) -> dict[str, tuple[str, bytes]]:
    """The image files of an edition's EPUB, name -> (media type, bytes), rasters scaled down."""
    files = {}
    for ident, name in epub_srcs(model, langs).items():
        image = model.images[model.pictures[ident]["image"]]
        files[name] = (image.media_type, epub_bytes(image, cache_dir))
    return files
