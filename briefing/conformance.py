"""The standards each PDF claims, and what we add to WeasyPrint's output to meet two at once.

WeasyPrint writes one PDF variant at a time. A reading edition is written as PDF/A-2a (tags,
sRGB output intent, print flags on annotations, `pdfaid` in the XMP) and the press PDF as
PDF/X-4 with tags; the finisher below then adds what PDF/UA-1 needs on top: `pdfuaid:part` in
the XMP, which PDF/A also wants declared in an extension schema. It runs in WeasyPrint's own
`finisher` hook, on the objects WeasyPrint is about to write, so nothing is parsed or written
twice. The booklet is an imposition and claims no standard; it keeps the metadata any document
of the organisation carries (see `booklet_metadata`).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from importlib.resources import files

from lxml import etree

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
}

# PDF/A accepts XMP properties outside its predefined schemas only when the file describes them in
# an extension schema (ISO 19005-2, 6.6.2.3); pdfuaid:part, which PDF/UA-1 asks for (ISO 14289-1,
# clause 5), is one. This is the usual declaration of it.
PDFUA_EXTENSION = b"""<rdf:Description rdf:about=""
    xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
      <pdfaProperty:category>internal</pdfaProperty:category>
      <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
      <pdfaProperty:name>part</pdfaProperty:name>
      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
    </rdf:li></rdf:Seq></pdfaSchema:property>
  </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""

# Printing conditions of the ICC registry (https://www.color.org/registry), by the description of
# the profile press.css embeds as output intent. A condition not listed here stays a custom one
# named by its profile, which PDF/X-4 allows because the profile is embedded.
REGISTERED_CONDITIONS = {
    "Coated FOGRA39 (ISO 12647-2:2004)": (
        "FOGRA39", "Offset printing, according to ISO 12647-2:2004/Amd 1, paper type 1 or 2 "
                   "(coated art, 115 g/m2), tone value increase curves A (CMY) and B (K)"),
}


@dataclass(frozen=True)
class Claim:
    """What one kind of PDF claims: the WeasyPrint variant it is written as, and whether it is
    also PDF/UA-1. veraPDF flavours follow from it (see briefing/verapdf.py)."""
    variant: str | None
    pdfua: bool

    @property
    def options(self) -> dict:
        """Options for Document.write_pdf."""
        if self.variant is None:
            return {}
        return {"pdf_variant": self.variant, "pdf_tags": self.pdfua}


READING = Claim("pdf/a-2a", pdfua=True)   # every reading edition: archivable and accessible
PRESS = Claim("pdf/x-4", pdfua=True)      # the print shop's file, still accessible
BOOKLET = Claim(None, pdfua=False)        # an imposition: pages out of reading order, no structure


def finisher(claim: Claim, identifier: str):
    """A WeasyPrint finisher completing `claim` on the PDF about to be written; identifier: the
    publication's, recorded as dc:identifier (and the seed of the PDF/X document ID)."""
    def finish(document, pdf) -> None:
        metadata = _object(pdf, pdf.catalog["Metadata"])
        xmp = etree.fromstring(b"".join(_bytes(chunk) for chunk in metadata.stream))
        rdf = xmp.find("rdf:RDF", NS)
        description = etree.SubElement(rdf, f"{{{NS['rdf']}}}Description", nsmap=NS)
        description.set(f"{{{NS['rdf']}}}about", "")
        etree.SubElement(description, f"{{{NS['dc']}}}identifier").text = identifier
        if claim.pdfua:
            description.set(f"{{{NS['pdfuaid']}}}part", "1")
            if rdf.xpath(".//@pdfaid:part", namespaces=NS):
                rdf.append(etree.fromstring(PDFUA_EXTENSION))
        # PDF/A-2 (6.2.8.3) forbids interpolated images, and print shops' preflights reject them in
        # PDF/X; WeasyPrint sets the flag from `image-rendering: auto`. Our pictures are at least
        # 300 dpi, so the flag changes nothing a reader sees.
        for obj in pdf.objects:
            if getattr(obj, "extra", {}).get("Interpolate") == "true":
                obj.extra["Interpolate"] = "false"
        if claim.variant == "pdf/x-4":
            _press(pdf, xmp, identifier)
            _crop_marks(pdf)
        metadata.stream = [etree.tostring(xmp.getroottree(), encoding="utf-8")]
    return finish


def _press(pdf, xmp, identifier: str) -> None:
    """PDF/X-4 on top of WeasyPrint's variant: a reproducible document ID, the registered printing
    condition, and DefaultRGB so that the sRGB colours of the design are defined colours."""
    import pydyf

    # WeasyPrint draws a random UUID for each write; ours is derived, so two builds are identical.
    document_id = xmp.find(".//xmpMM:DocumentID", NS)
    document_id.text = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, identifier + '#print')}"

    intent = pdf.catalog["OutputIntents"][0]
    description = intent["Info"].string
    if description in REGISTERED_CONDITIONS:
        condition_id, condition = REGISTERED_CONDITIONS[description]
        intent["OutputConditionIdentifier"] = pydyf.String(condition_id)
        intent["OutputCondition"] = pydyf.String(condition)
        intent["RegistryName"] = pydyf.String("http://www.color.org")

    # Every page, form and pattern shares WeasyPrint's one colour space dictionary.
    srgb = pydyf.Stream([(files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()],
                        pydyf.Dictionary({"N": 3}), compress=True)
    pdf.add_object(srgb)
    first_page = pdf.pages["Kids"][0]  # pydyf keeps Kids flat: number, generation, R, ...
    resources = _object(pdf, _object(pdf, first_page)["Resources"])
    _object(pdf, resources["ColorSpace"])["DefaultRGB"] = pydyf.Array(("/ICCBased", srgb.reference))


MM = 72 / 25.4
SLUG = 12 * MM                      # paper beyond the trim: the 3 mm bleed, then the marks
MARK = (5 * MM, 11 * MM)            # each crop mark runs from 5 to 11 mm outside the trim


def _crop_marks(pdf) -> None:
    """Crop marks outside the bleed, on a slug added around every page: WeasyPrint's `marks: crop`
    draws short marks inside the bleed, where a dark cover paints over them. Each mark is a
    hairline in the extension of a trim edge, 6 mm long and 2 mm clear of the bleed, on paper
    nothing else prints on; an artifact, outside the structure tree."""
    import pydyf

    for number in pdf.pages["Kids"][::3]:  # pydyf keeps Kids flat: number, generation, R, ...
        page = _object(pdf, number)
        x0, y0, x1, y1 = (float(v) for v in page["TrimBox"])
        near, far = MARK
        lines = []
        for x, sign_x in ((x0, -1), (x1, 1)):
            for y, sign_y in ((y0, -1), (y1, 1)):
                lines.append(((x + sign_x * near, y), (x + sign_x * far, y)))   # along the horizontal edge
                lines.append(((x, y + sign_y * near), (x, y + sign_y * far)))   # along the vertical edge
        marks = pydyf.Stream()
        marks.stream = [b"/Artifact BMC q 0.3 w 0 0 0 1 K"]
        for (ax, ay), (bx, by) in lines:
            marks.stream.append(f"{ax:.3f} {ay:.3f} m {bx:.3f} {by:.3f} l S".encode("ascii"))
        marks.stream.append(b"Q EMC")
        pdf.add_object(marks)
        page["Contents"] = pydyf.Array([page["Contents"], marks.reference])
        page["MediaBox"] = pydyf.Array([x0 - SLUG, y0 - SLUG, x1 + SLUG, y1 + SLUG])


def _object(pdf, reference):
    """The pydyf object a reference (b"12 0 R", or an object number) points to."""
    if isinstance(reference, bytes):
        reference = reference.split()[0]
    return pdf.objects[int(reference)]


def _bytes(chunk) -> bytes:
    return chunk if isinstance(chunk, bytes) else str(chunk).encode("utf-8")


def booklet_metadata(pdf, metadata, identifier: str) -> None:
    """Title, language, identifier and XMP metadata on an imposed booklet (a pikepdf.Pdf),
    from the WeasyPrint metadata of the document it imposes. It claims no standard."""
    import pikepdf

    if metadata.lang:
        pdf.Root.Lang = pikepdf.String(metadata.lang)
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    fields = {"dc:title": metadata.title, "dc:creator": list(metadata.authors) or None,
              "dc:description": metadata.description,
              "pdf:Keywords": ", ".join(metadata.keywords) or None,
              "dc:language": [metadata.lang] if metadata.lang else None, "dc:identifier": identifier,
              "xmp:CreateDate": metadata.created, "xmp:ModifyDate": metadata.modified,
              "pdf:Producer": "WeasyPrint, pdfimpose, pikepdf"}
    # pikepdf writes the XMP and, from it, the matching document information dictionary.
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        for field, value in fields.items():
            if value:
                meta[field] = value
