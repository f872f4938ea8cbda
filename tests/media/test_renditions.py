"""Uploads become renditions in the worker: the right sizes, no EXIF or GPS, the camera's
orientation applied, each image decoded once."""
import io

import pytest
from conftest import run_worker
from PIL import Image, ImageStat
from sqlalchemy import select

from commsdesk import media
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Rendition

from .conftest import encode, jpeg, picture


def _renditions(item):
    rows = db.session.execute(select(Rendition).where(Rendition.media_id == item.id)).scalars()
    return {row.name: row for row in rows}


def _open(row):
    return Image.open(io.BytesIO(row.data))


def test_upload_queues_renditions_that_the_worker_makes_at_the_right_sizes(desk):
    item = desk.upload(jpeg(3000, 2000))
    assert (item.width, item.height, item.content_type) == (3000, 2000, "image/jpeg")
    assert {r.state for r in _renditions(item).values()} == {"queued"}
    assert run_worker()["renditions"] == 5
    made = _renditions(item)
    sizes = {name: _open(row).size for name, row in made.items()}
    assert sizes == {"card": (1200, 630), "square": (1080, 1080), "portrait": (1080, 1350),
                     "thumb": (320, 213), "large": (2048, 1365)}
    assert all((row.width, row.height) == sizes[name] for name, row in made.items())
    assert all(row.state == "done" and _open(row).format == "JPEG" for row in made.values())
    assert run_worker()["renditions"] == 0  # nothing left: each row is made once
    assert db.session.execute(select(AuditEntry.object_id).where(
        AuditEntry.action == "media.uploaded")).scalars().all() == [item.id]


def test_small_images_are_not_enlarged_except_for_cover_crops(desk):
    item = desk.upload(encode(picture(200, 100), "PNG"), name="liten.png")
    run_worker()
    sizes = {name: _open(row).size for name, row in _renditions(item).items()}
    assert sizes["thumb"] == (200, 100) and sizes["large"] == (200, 100)
    assert sizes["card"] == (1200, 630)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_and_gps_are_stripped_from_every_rendition(desk, fmt):
    data = encode(picture(800, 600), fmt, gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload has GPS
    item = desk.upload(data, name=f"gps.{fmt.lower()}")
    run_worker()
    for row in _renditions(item).values():
        image = _open(row)
        assert not image.getexif(), row.name
        assert "exif" not in image.info and b"Kamera AB" not in row.data
        assert b"Exif\x00\x00" not in row.data


def test_orientation_is_applied(desk):
    # Stored landscape, the camera says "rotate 90° clockwise to show": shown portrait.
    image = picture(600, 400)
    item = desk.upload(encode(image, orientation=6))
    assert (item.width, item.height) == (400, 600)
    run_worker()
    large = _open(_renditions(item)["large"])
    assert large.size == (400, 600)
    # The dark (left) edge of the stored image is at the top once turned clockwise.
    top = ImageStat.Stat(large.crop((0, 0, 400, 40)).getchannel("G")).mean[0]
    bottom = ImageStat.Stat(large.crop((0, 560, 400, 600)).getchannel("G")).mean[0]
    assert top < 60 < 190 < bottom


def test_gif_first_frame_and_png_transparency(desk):
    frames = [Image.new("RGB", (300, 200), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    item = desk.upload(out.getvalue(), name="anim.gif")
    clear = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    png = desk.upload(encode(clear, "PNG"), name="clear.png")
    run_worker()
    assert _open(_renditions(item)["thumb"]).convert("RGB").getpixel((10, 10))[0] > 200
    assert _open(_renditions(png)["thumb"]).getpixel((10, 10)) == (255, 255, 255)


def test_the_same_file_twice_is_one_library_image(desk):
    data = jpeg(seed=7)
    assert desk.upload(data).id == desk.upload(data, name="igen.jpg").id
    assert len(media.library(desk.editor)) == 1


def test_a_rendition_that_cannot_be_made_is_failed_with_its_reason(desk):
    item = desk.upload(jpeg())
    item.data = b"\xff\xd8\xff broken"
    db.session.commit()
    run_worker()
    rows = _renditions(item).values()
    assert {r.state for r in rows} == {"failed"} and all(r.error for r in rows)


def test_the_clock_of_the_rq_workers_hands_out_rendition_work_until_it_is_done(app, desk):
    from commsdesk import jobs

    assert jobs.due_work()["renditions"] == []
    desk.upload()
    assert jobs.due_work()["renditions"] == [0]
    jobs.bind(app)
    try:
        assert jobs.render_images() == len(media.SIZES)
    finally:
        jobs.bind(None)
    assert jobs.due_work()["renditions"] == []
    states = db.session.scalars(select(Rendition.state)).all()
    assert states and set(states) == {"done"}
