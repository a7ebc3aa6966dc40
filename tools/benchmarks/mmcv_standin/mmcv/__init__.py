"""A small stand-in for the parts of mmcv 1.x that MMAction2 v0.24.1's pipeline modules call (mmcv itself does not
install here). Written from mmcv 1.x's documented behaviour; each image function is the thin cv2/numpy call that the
mmcv documentation describes. Used only by tools/benchmarks/mmaction_loader.py.
"""
import cv2
import numpy as np

from .utils import digit_version, is_str, is_tuple_of  # noqa: F401

__version__ = "1.6.0"  # inside the range MMAction2 v0.24.1 accepts

_INTERPOLATION = {
    "nearest": cv2.INTER_NEAREST,
    "bilinear": cv2.INTER_LINEAR,
    "bicubic": cv2.INTER_CUBIC,
    "area": cv2.INTER_AREA,
    "lanczos": cv2.INTER_LANCZOS4,
}
_IMREAD = {"color": cv2.IMREAD_COLOR, "grayscale": cv2.IMREAD_GRAYSCALE, "unchanged": cv2.IMREAD_UNCHANGED}


def use_backend(backend):
    """mmcv.use_backend: only cv2 is provided here."""
    if backend != "cv2":
        raise ValueError(f"only the cv2 image backend is provided, got {backend}")


def imresize(img, size, return_scale=False, interpolation="bilinear", out=None, backend=None):
    """mmcv.imresize: cv2.resize to size = (w, h); with return_scale also the (w, h) scale factors."""
    h, w = img.shape[:2]
    resized = cv2.resize(img, size, dst=out, interpolation=_INTERPOLATION[interpolation])
    if not return_scale:
        return resized
    return resized, size[0] / w, size[1] / h


def _scale_size(size, scale):
    w, h = size
    return int(w * float(scale) + 0.5), int(h * float(scale) + 0.5)


def rescale_size(old_size, scale, return_scale=False):
    """mmcv.rescale_size: a number scales both sides; a (long, short) pair bounds the long and short edges."""
    w, h = old_size
    if isinstance(scale, (float, int)):
        if scale <= 0:
            raise ValueError(f"Invalid scale {scale}, must be positive.")
        scale_factor = scale
    elif isinstance(scale, tuple):
        max_long_edge = max(scale)
        max_short_edge = min(scale)
        scale_factor = min(max_long_edge / max(h, w), max_short_edge / min(h, w))
    else:
        raise TypeError(f"Scale must be a number or tuple of int, but got {type(scale)}")
    new_size = _scale_size((w, h), scale_factor)
    return (new_size, scale_factor) if return_scale else new_size


def imflip_(img, direction="horizontal"):
    """mmcv.imflip_: flips in place with cv2.flip (1 horizontal, 0 vertical, -1 diagonal)."""
    code = {"horizontal": 1, "vertical": 0, "diagonal": -1}[direction]
    return cv2.flip(img, code, img)


def iminvert(img):
    return np.full_like(img, 255) - img


def imnormalize_(img, mean, std, to_rgb=True):
    """mmcv.imnormalize_: in place on a float image, (img - mean) / std with cv2, BGR->RGB first if to_rgb."""
    assert img.dtype != np.uint8
    mean = np.float64(mean.reshape(1, -1))
    stdinv = 1 / np.float64(std.reshape(1, -1))
    if to_rgb:
        cv2.cvtColor(img, cv2.COLOR_BGR2RGB, img)
    cv2.subtract(img, mean, img)
    cv2.multiply(img, stdinv, img)
    return img


def imfrombytes(content, flag="color", channel_order="bgr", backend=None):
    """mmcv.imfrombytes: cv2.imdecode, converted to RGB in place when asked."""
    img = cv2.imdecode(np.frombuffer(content, np.uint8), _IMREAD[flag] if is_str(flag) else flag)
    if flag == "color" and channel_order == "rgb":
        cv2.cvtColor(img, cv2.COLOR_BGR2RGB, img)
    return img
