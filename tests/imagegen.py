"""Test images drawn here with Pillow (shapes and gradients: no photographs from elsewhere),
with the metadata and colour profiles that the build must strip or convert."""

from __future__ import annotations

import io
import struct

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

ORIENTATION, MAKE, SERIAL, ARTIST, GPS_IFD = 0x0112, 0x010F, 0xA431, 0x013B, 0x8825
SECRET_SERIAL = "SN-4242-SECRET"
SECRET_ARTIST = "Jane Photographer"


def drawing(width: int, height: int, seed: int = 0, mode: str = "RGB") -> Image.Image:
    """A gradient with a few shapes: something a resize and an encoder must really work on."""
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_90).resize(
        (width, height)), Image.new("L", (width, height), (seed * 40) % 256)))  # fmt: skip
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 8, height // 8, width // 2, height // 2), fill=(240, 120, 20))
    draw.rectangle((width // 2, height // 2, width - width // 8, height - height // 8),
                   fill=(20, 60 + seed % 150, 200))  # fmt: skip
    return image.convert(mode) if mode != "RGB" else image


def png(width: int = 640, height: int = 400, seed: int = 0, author: str = "") -> bytes:
    """A PNG; with an `author`, it names them in a text chunk, which must not be published."""
    info = PngInfo()
    if author:
        info.add_text("Author", author)
        info.add_text("Comment", f"taken by {author}")
    buffer = io.BytesIO()
    drawing(width, height, seed).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def jpeg(width: int = 1600, height: int = 1000, seed: int = 0, **options: object) -> bytes:
    buffer = io.BytesIO()
    drawing(width, height, seed).save(buffer, "JPEG", quality=90, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


def private_jpeg(width: int = 1600, height: int = 1000, orientation: int = 6) -> bytes:
    """A JPEG stored on its side (EXIF orientation 6: turn it 90° clockwise to show it), with
    a GPS position, a camera serial number, a photographer's name, a comment and XMP."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "PortalTestCam"
    exif[ARTIST] = SECRET_ARTIST
    exif.get_ifd(0x8769)[SERIAL] = SECRET_SERIAL
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (45.0, 45.0, 30.0), 3: "E", 4: (126.0, 38.0, 0.0)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Jane Photographer</rdf:RDF></x:xmpmeta>'
    # Upright it is tall: stored on its side, wide; a red mark at the stored image's top left.
    image = drawing(width, height)
    ImageDraw.Draw(image).rectangle((0, 0, width // 10, height // 10), fill=(255, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes(), comment=b"Jane's camera", xmp=xmp)
    return buffer.getvalue()


def cmyk_jpeg(width: int = 800, height: int = 500) -> bytes:
    """A CMYK JPEG with no profile: printers' colour, to be published as sRGB."""
    buffer = io.BytesIO()
    drawing(width, height).convert("CMYK").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def swapped_profile() -> bytes:
    """An ICC v2 RGB profile, built here, whose red primary is sRGB's green and whose green is
    sRGB's red: its (255, 0, 0) is green. Converted to sRGB, such a pixel must come out green;
    copied as it is (profile dropped, pixels not converted), it would stay red."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    text = b"swapped red and green"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(text) + 1) + text + b"\0"
    desc += bytes(8) + bytes(3) + bytes(67)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0233) + bytes(2)  # gamma 2.2
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)),  # sRGB's green primary (D50)
        (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red primary
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text" + bytes(4) + b"none\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I4sI4s4s4s", size, b"none", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
    header += bytes(12) + b"acsp" + bytes(24) + struct.pack(">I", 0)
    header += s15(0.9642) + s15(1.0) + s15(0.8249)
    header += bytes(128 - len(header))
    return header + table + data


def profiled_jpeg(width: int = 800, height: int = 500) -> bytes:
    """A pure red JPEG tagged with the swapped profile: green, as a colour-managed reader
    sees it."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (255, 0, 0)).save(
        buffer, "JPEG", quality=95, icc_profile=swapped_profile()
    )
    return buffer.getvalue()
