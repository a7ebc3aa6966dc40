package org.slowfast.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An MMAction2 checkpoint: {@code meta} (epoch, iter, config text, seed, versions), {@code state_dict} (MMAction2
 * keys, in registration order) and {@code optimizer} ({@code torch.optim.SGD.state_dict()} layout: {@code state}
 * maps parameter index to {@code {"momentum_buffer": Tensor}}, {@code param_groups} is a list of dicts with
 * {@code params} index lists). Values are plain Java maps, lists, strings, numbers, booleans, nulls and
 * {@link Tensor}s. A bare state dict reads as a checkpoint with empty meta and no optimizer.
 */
public record Checkpoint(Map<String, Object> meta, LinkedHashMap<String, Tensor> stateDict, Map<Object, Object> optimizer) {}
