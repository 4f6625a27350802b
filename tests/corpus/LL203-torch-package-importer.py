import io

import torch
import torch.package
from torch import package
from torch.package import PackageExporter, PackageImporter
from torch.package import PackageImporter as Importer
from torch.package.package_importer import PackageImporter as RawImporter

try:
    from torch.package import PackageImporter as CompatImporter
except ImportError:
    from torch.package.package_importer import PackageImporter as CompatImporter


def open_package(path):
    # expect: LL203:warning
    importer = PackageImporter(path)
    # ok: LL203
    return importer.load_pickle("model", "model.pkl")


def bundled():
    # expect: LL203:note
    return torch.package.PackageImporter("artifacts/model_package.pt")


def from_buffer(blob):
    # expect: LL203:warning
    return Importer(io.BytesIO(blob))


def keyword_argument(path):
    # expect: LL203:warning
    return package.PackageImporter(file_or_buffer=path)


def defining_module(path):
    # expect: LL203
    return RawImporter(path)


def conditional_import(path):
    # expect: LL203
    return CompatImporter(path).import_module("model")


def simple_alias(path):
    open_package = torch.package.PackageImporter
    # expect: LL203
    return open_package(path)


def multi_line(path):
    # expect: LL203
    importer = PackageImporter(
        path,
        module_allowed=lambda name: name.startswith("torchvision"),
    )
    return importer


def shadowed(PackageImporter, path):
    # ok: LL203
    return PackageImporter(path)


def write_side(model, path):
    # ok: LL203
    with PackageExporter(path) as exporter:
        exporter.intern("models.**")
        exporter.save_pickle("model", "model.pkl", model)
