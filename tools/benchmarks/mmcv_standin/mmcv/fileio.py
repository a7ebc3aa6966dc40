"""mmcv.fileio stand-in: the disk backend of FileClient."""


class FileClient:
    def __init__(self, backend="disk", **kwargs):
        if backend != "disk":
            raise ValueError(f"only the disk backend is provided, got {backend}")

    def get(self, filepath):
        with open(filepath, "rb") as f:
            return f.read()

    def get_text(self, filepath, encoding="utf-8"):
        with open(filepath, encoding=encoding) as f:
            return f.read()
