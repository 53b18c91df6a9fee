"""/favicon.ico, which browsers and feed readers ask for whatever a page links."""

import io

from PIL import Image


def test_favicon_ico_is_an_icon_in_the_usual_sizes(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    response.close()
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]
    assert "max-age=86400" in response["Cache-Control"]
