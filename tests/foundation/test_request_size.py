"""Request size: a body over the limit gets a friendly 413 before anything parses it."""

import io

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from config import DevelopmentConfig

MB = 1024 * 1024


class HugeBody(io.RawIOBase):
    """A multipart body that claims `size` bytes and counts what the server really reads of it."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0
        self.head = b'--x\r\nContent-Disposition: form-data; name="email"; filename="a.txt"\r\n\r\n'

        self.position = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence] + offset
        return self.position

    def readinto(self, buffer):
        if self.position >= self.size:
            return 0
        if self.read_bytes > 40 * MB:
            raise AssertionError("the server kept reading an oversized body")
        chunk = (self.head if self.position == 0 else b"a" * len(buffer))[: min(len(buffer), self.size - self.position)]
        buffer[: len(chunk)] = chunk
        self.read_bytes += len(chunk)
        self.position += len(chunk)
        return len(chunk)


def _post_huge(client, path, size):
    body = HugeBody(size)
    response = client.post(
        path, input_stream=body, content_type="multipart/form-data; boundary=x", headers={"Content-Length": str(size)}
    )
    return response, body


def test_a_200_mb_anonymous_post_to_login_is_refused_unread(client):
    response, body = _post_huge(client, "/login", 200 * MB)
    assert response.status_code == 413
    assert body.read_bytes == 0
    page = response.get_data(as_text=True)
    assert "Envío demasiado grande" in page and "supera el límite de 1 MB" in page
    assert "divídalo en partes más pequeñas" in page


def test_a_small_file_sent_to_a_page_without_uploads_is_refused(client):
    fields = {"email": "a@example.org", "password": "x", "attachment": FileStorage(io.BytesIO(b"z" * (2 * MB)), "big.bin")}
    boundary, body = encode_multipart(MultiDict(fields))
    response = client.post("/login", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413


def test_the_413_page_speaks_english_too(client):
    client.set_cookie("lang", "en")
    response, _body = _post_huge(client, "/password/forgot", 5 * MB)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Request too large" in page and "more than the limit of 1 MB" in page and "Envío" not in page


def test_an_import_page_takes_files_up_to_its_own_limit(login_as, make_user):
    client = login_as(make_user("director"))
    roster = b"nombre,apellido\n" + b"Ana,Ejemplo\n" * (3 * MB // 12)  # over the plain-form limit, under the file one
    boundary, body = encode_multipart(MultiDict({"format": "csv", "file": FileStorage(io.BytesIO(roster), "roster.csv")}))
    response = client.post("/imports/legislators", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code != 413

    response, body = _post_huge(client, "/imports/legislators", 200 * MB)
    assert response.status_code == 413 and body.read_bytes == 0
    assert "supera el límite de 24.1 MB" in response.get_data(as_text=True)


def test_the_limits_are_settings():
    config = DevelopmentConfig(environ={"CRM_MAX_UPLOAD_MB": "64", "CRM_MAX_FORM_KB": "256", "SECRET_KEY": "k" * 20})
    assert config.MAX_CONTENT_LENGTH == 64 * MB and config.MAX_FORM_BYTES == 256 * 1024
    assert DevelopmentConfig(environ={"SECRET_KEY": "k" * 20}).MAX_CONTENT_LENGTH == 32 * MB
