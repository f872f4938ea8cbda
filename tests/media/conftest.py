"""Images made in the test (gradients and noise, with or without EXIF and GPS), and an
organisation with an editor, an approver and an approved press release."""
import io
import random

import pytest
from conftest import make_document, make_user
from PIL import Image

from commsdesk import media, workflow

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture(width=640, height=480, seed=1):
    """An RGB image with a gradient (left dark, right light) and some noise."""
    rnd = random.Random(seed)
    gradient = Image.linear_gradient("L").resize((height, width)).transpose(
        Image.Transpose.ROTATE_90)
    noise = Image.frombytes("L", (width, height), rnd.randbytes(width * height))
    red = Image.blend(gradient, noise, 0.2)
    return Image.merge("RGB", (red, gradient, noise))


def encode(image, fmt="JPEG", gps=False, orientation=None, **params):
    """The image as file bytes; JPEG with EXIF (a camera make, GPS position) if asked."""
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "Kamera AB"
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (59.0, 19.0, 45.0), 3: "E",
                                      4: (18.0, 4.0, 7.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    if len(exif) or gps:
        params["exif"] = exif.tobytes()
    image.save(out, fmt, **params)
    return out.getvalue()


def jpeg(width=640, height=480, seed=1, **kwargs):
    return encode(picture(width, height, seed), "JPEG", **kwargs)


class Desk:
    """Users of one organisation and helpers to upload and publish."""

    def __init__(self, org):
        self.org = org
        self.editor = make_user(org, "editor")
        self.approver = make_user(org, "approver")

    def upload(self, data=None, name="foto.jpg", alt="En bild", **kwargs):
        return media.upload(self.editor, name, data or jpeg(seed=random.random()), alt_text=alt,
                            **kwargs)

    def draft(self, title="Ny förskola i Åby", **content):
        return make_document(self.editor, title=title, body="Text", **content)

    def approve(self, doc):
        """Submit and approve (images are attached before: after approval they make a new
        revision that needs approving again)."""
        workflow.submit(self.editor, doc)
        workflow.approve(self.approver, doc)
        return doc

    def approved(self, title="Ny förskola i Åby", **content):
        return self.approve(self.draft(title, **content))


@pytest.fixture
def desk(org):
    return Desk(org)
