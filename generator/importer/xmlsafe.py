"""XML read without entity expansion, external entities or DTDs (defusedxml): a feed or an
export is untrusted input, and an entity bomb or a reference to a local file is refused."""

from __future__ import annotations

from typing import Any

from generator.errors import InputError

_REFUSED = {
    "EntitiesForbidden": "entities (an entity bomb or a reference to a file is possible)",
    "ExternalReferenceForbidden": "an external reference",
    "DTDForbidden": "a document type",
    "NotSupportedError": "what the parser cannot read safely",
}


def parse(data: bytes, shown: str) -> Any:
    """The document's root element, or one InputError saying what is wrong and where."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as refused:
        what = _REFUSED.get(type(refused).__name__, "what untrusted input may not")
        raise InputError(shown, f"refused: the XML declares {what}") from None
    except ParseError as error:
        line = error.position[0] if error.position else None
        raise InputError(shown, f"not well-formed XML: {error.msg}", line=line) from None
