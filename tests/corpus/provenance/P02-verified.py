"""Verified loads: the very bytes that are loaded were checked against a
pinned digest or signature first. Graded one step down, and said so.
Verifying a path and then loading the path again is a race: not verified."""
import hashlib
import hmac
import io
import pickle

import requests
import torch

EXPECTED_SHA256 = "9f2c4e1b7a5d3c8e6f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607"


def digest_compared_before_loading(url):
    data = requests.get(url, timeout=30).content
    if hashlib.sha256(data).hexdigest() != EXPECTED_SHA256:
        raise ValueError("checksum mismatch")
    # expect: LL101:warning
    return pickle.loads(data)


def digest_through_update_and_compare_digest(url):
    blob = requests.get(url, timeout=30).content
    h = hashlib.sha256()
    h.update(blob)
    if not hmac.compare_digest(h.hexdigest(), EXPECTED_SHA256):
        raise ValueError("checksum mismatch")
    # expect: LL201:warning
    return torch.load(io.BytesIO(blob))


def assert_digest(url):
    blob = requests.get(url, timeout=30).content
    actual = hashlib.sha256(blob).hexdigest()
    assert actual == EXPECTED_SHA256
    # expect: LL101:warning
    return pickle.loads(blob)


def load_inside_the_match(url):
    blob = requests.get(url, timeout=30).content
    if hashlib.sha256(blob).hexdigest() == EXPECTED_SHA256:
        # expect: LL101:warning
        return pickle.loads(blob)
    return None


def signature_checked(url, public_key, signature):
    blob = requests.get(url, timeout=30).content
    public_key.verify(signature, blob)
    # expect: LL101:warning
    return pickle.loads(blob)


# Not verified.


def verify_path_then_load_path(path):
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != EXPECTED_SHA256:
        raise ValueError("checksum mismatch")
    # the file can be replaced between the check and the load
    # expect: LL201:warning
    return torch.load(path)


def compared_with_a_value_from_the_same_server(url):
    blob = requests.get(url, timeout=30).content
    expected = requests.get(url + ".sha256", timeout=30).text
    if hashlib.sha256(blob).hexdigest() != expected:
        raise ValueError("checksum mismatch")
    # expect: LL101:error
    return pickle.loads(blob)


def mismatch_only_logged(url, log):
    blob = requests.get(url, timeout=30).content
    if hashlib.sha256(blob).hexdigest() != EXPECTED_SHA256:
        log.warning("checksum mismatch")
    # expect: LL101:error
    return pickle.loads(blob)


def digest_of_other_bytes(url, other):
    blob = requests.get(url, timeout=30).content
    if hashlib.sha256(other).hexdigest() != EXPECTED_SHA256:
        raise ValueError("checksum mismatch")
    # expect: LL101:error
    return pickle.loads(blob)


def reassigned_after_the_check(url):
    blob = requests.get(url, timeout=30).content
    if hashlib.sha256(blob).hexdigest() != EXPECTED_SHA256:
        raise ValueError("checksum mismatch")
    blob = requests.get(url + "?v=2", timeout=30).content
    # expect: LL101:error
    return pickle.loads(blob)


def md5_of_nothing_in_particular(url):
    blob = requests.get(url, timeout=30).content
    # ok: LL101
    hashlib.md5(blob).hexdigest()
    # expect: LL101:error
    return pickle.loads(blob)
