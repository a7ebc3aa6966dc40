"""mmcv.utils stand-in: version parsing, type checks and a minimal Registry/build_from_cfg."""
import inspect
import re


def digit_version(version_str, length=4):
    """A comparable tuple for a version string ('1.6.0' -> (1, 6, 0, 0, 0, 0)), release versions only."""
    parts = [int(p) for p in re.findall(r"\d+", version_str.split("+")[0])[:length]]
    parts += [0] * (length - len(parts))
    return tuple(parts) + (0, 0)


def is_str(x):
    return isinstance(x, str)


def is_seq_of(seq, expected_type, seq_type=None):
    from collections.abc import Sequence
    if not isinstance(seq, seq_type or Sequence):
        return False
    return all(isinstance(item, expected_type) for item in seq)


def is_tuple_of(seq, expected_type):
    return is_seq_of(seq, expected_type, seq_type=tuple)


class Registry:
    """Maps class names to classes; register_module() is a class decorator, as in mmcv."""

    def __init__(self, name, **kwargs):
        self.name = name
        self._module_dict = {}

    def get(self, key):
        return self._module_dict.get(key)

    def register_module(self, name=None, force=False, module=None):
        def register(cls):
            self._module_dict[name or cls.__name__] = cls
            return cls
        return register(module) if module is not None else register


def build_from_cfg(cfg, registry, default_args=None):
    """Instantiates cfg['type'] (a registered name or a class) with the other keys as keyword arguments."""
    args = dict(cfg)
    for k, v in (default_args or {}).items():
        args.setdefault(k, v)
    obj_type = args.pop("type")
    obj_cls = registry.get(obj_type) if is_str(obj_type) else obj_type
    if obj_cls is None or not inspect.isclass(obj_cls):
        raise KeyError(f"{obj_type} is not in the {registry.name} registry")
    return obj_cls(**args)
