import os
import shutil
import tarfile
import tempfile
import zipfile
from tarfile import data_filter
from tarfile import open as open_tar

import mylib.archive as archive


def unpack_bundle(archive_path, target):
    with tarfile.open(archive_path) as tar:
        # expect: LL803:warning
        tar.extractall(target)


def variable_object(archive_path):
    tar = tarfile.open(archive_path, "r:gz")
    # expect: LL803
    tar.extractall(path=tempfile.mkdtemp())
    tar.close()


def chained(archive_path, target):
    # expect: LL803
    tarfile.open(archive_path).extractall(target)


def constructor_and_alias(archive_path, target):
    # expect: LL803
    tarfile.TarFile(archive_path).extractall(target)
    with open_tar(archive_path, "r:*") as tar:
        # expect: LL803
        tar.extractall(target)


def member_by_member(archive_path, target):
    with tarfile.open(archive_path) as tar:
        for member in tar.getmembers():
            # expect: LL803
            tar.extract(member, target)


def explicit_unsafe_filters(archive_path, target):
    with tarfile.open(archive_path) as tar:
        # expect: LL803
        tar.extractall(target, filter="fully_trusted")
        # expect: LL803
        tar.extractall(target, filter=tarfile.fully_trusted_filter)


def members_list_is_not_a_fix(archive_path, target):
    with tarfile.open(archive_path) as tar:
        names = [m for m in tar.getmembers() if not m.name.startswith("/") and ".." not in m.name]
        # Link members pass a check on names; only a filter checks links.
        # expect: LL803
        tar.extractall(target, members=names)


def compat_branch(archive_path, target):
    with tarfile.open(archive_path) as tar:
        if hasattr(tarfile, "data_filter"):
            # ok: LL803
            tar.extractall(target, filter="data")
        else:
            # expect: LL803
            tar.extractall(target)


def custom_filter(archive_path, target):
    def only_files(member, path):
        member = tarfile.data_filter(member, path)
        return member if member.isfile() else None

    with tarfile.open(archive_path) as tar:
        # A filter that calls data_filter is safe, but the rule cannot see inside it.
        # todo-ok: LL803
        tar.extractall(target, filter=only_files)


def instance_filter(archive_path, target):
    with tarfile.open(archive_path) as tar:
        tar.extraction_filter = tarfile.data_filter
        # todo-ok: LL803
        tar.extractall(target)


def shutil_unpack(archive_path, target):
    # expect: LL803
    shutil.unpack_archive(archive_path, target)
    # expect: LL803
    shutil.unpack_archive(archive_path, target, "gztar")


def multi_line(archive_path, target):
    with tarfile.open(archive_path) as tar:
        # expect: LL803
        tar.extractall(
            path=target,
            numeric_owner=False,
        )


def safe_filters(archive_path, target):
    with tarfile.open(archive_path) as tar:
        # ok: LL803
        tar.extractall(target, filter="data")
        # ok: LL803
        tar.extractall(path=target, filter="tar")
        # ok: LL803
        tar.extractall(target, filter=tarfile.data_filter)
        # ok: LL803
        tar.extractall(target, filter=data_filter)
        # ok: LL803
        tar.extractall(target, filter=tarfile.tar_filter)
        for member in tar.getmembers():
            # ok: LL803
            tar.extract(member, target, filter="data")
    # ok: LL803
    shutil.unpack_archive(archive_path, target, filter="data")


def zip_archives(archive_path, target):
    # ok: LL803
    shutil.unpack_archive("bundle.zip", target)
    # ok: LL803
    shutil.unpack_archive(archive_path, target, format="zip")
    with zipfile.ZipFile(archive_path) as zf:
        # ok: LL803
        zf.extractall(target)
        # ok: LL803
        zf.extract("model.onnx", target)


def reading_only(archive_path):
    with tarfile.open(archive_path) as tar:
        # ok: LL803
        f = tar.extractfile("model/config.json")
        # ok: LL803
        names = tar.getnames()
    return f, names, os.path.basename(archive_path)


def other_module(archive_path, target):
    # ok: LL803
    archive.extractall(archive_path, target)


def unknown_receiver(tar, target):
    # todo-expect: LL803
    tar.extractall(target)
