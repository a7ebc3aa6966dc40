"""mmcv.parallel stand-in: DataContainer and collate (DataContainers to lists, the rest as torch's default_collate)."""
from collections.abc import Mapping, Sequence

from torch.utils.data.dataloader import default_collate


class DataContainer:
    def __init__(self, data, stack=False, padding_value=0, cpu_only=False, pad_dims=2):
        self._data = data
        self._stack = stack
        self._cpu_only = cpu_only

    @property
    def data(self):
        return self._data

    @property
    def stack(self):
        return self._stack

    @property
    def cpu_only(self):
        return self._cpu_only


def collate(batch, samples_per_gpu=1):
    """Collates a batch as mmcv's collate does for the pipelines benchmarked here (no padding of stacked DCs)."""
    if not isinstance(batch, Sequence):
        raise TypeError(f"{batch.dtype} is not supported.")
    if isinstance(batch[0], DataContainer):
        return DataContainer([[sample.data for sample in batch]], batch[0].stack, cpu_only=batch[0].cpu_only)
    if isinstance(batch[0], Sequence) and not isinstance(batch[0], str):
        return [collate(samples, samples_per_gpu) for samples in zip(*batch)]
    if isinstance(batch[0], Mapping):
        return {key: collate([d[key] for d in batch], samples_per_gpu) for key in batch[0]}
    return default_collate(batch)
