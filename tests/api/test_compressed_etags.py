"""Compressed JSON keeps the ETag the API computes, so conditional reads and If-Match updates still work."""

import brotli

from tests.api.conftest import meeting_body

BR = {"Accept-Encoding": "br, gzip"}


def test_a_compressed_answer_keeps_its_etag_for_304_and_if_match(api_as, api_world):
    api = api_as(api_world.officer)
    # Long notes: answers under 500 bytes are not worth compressing.
    notes = "Dijo que votará a favor si hay dictamen de la comisión. " * 12
    created = api.post("/api/v1/interactions", json=meeting_body(api_world, notes=notes))
    assert created.status_code == 201, created.json
    url = created.headers["Location"]
    plain = api.get(url)
    read = api.get(url, headers=BR)
    assert read.headers["Content-Encoding"] == "br"
    assert brotli.decompress(read.get_data()) == plain.get_data()
    etag = read.headers["ETag"]
    # The same validator as the uncompressed answer, marked weak because the bytes differ by encoding.
    assert etag == "W/" + plain.headers["ETag"]

    assert api.get(url, headers={**BR, "If-None-Match": etag}).status_code == 304
    changed = api.patch(url, json={"place": "Despacho 301"}, headers={**BR, "If-Match": etag})
    assert changed.status_code == 200
    stale = api.patch(url, json={"place": "Otro lugar"}, headers={**BR, "If-Match": etag})
    assert stale.status_code == 412
