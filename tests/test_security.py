from django.urls import reverse


def test_reader_pages_forbid_scripts_and_other_hosts(client, make_article):
    response = client.get(make_article().get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_reading_sets_no_cookie(client, make_article):
    article = make_article()
    for url in [reverse("articles:list"), article.get_absolute_url()]:
        assert client.get(url).cookies == {}


def test_admin_is_given_its_own_csp_not_the_readers(admin_client):
    response = admin_client.get(reverse("admin:articles_article_add"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp


def test_admin_requires_sign_in(client, db):
    response = client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_media_files_are_served_in_single_machine_mode(client, make_image):
    image = make_image()
    response = client.get(image.file.url)
    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/jpeg"
    assert body == image.file.read()
    image.file.close()
