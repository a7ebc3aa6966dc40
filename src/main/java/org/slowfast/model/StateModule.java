package org.slowfast.model;

import java.util.List;

/** A block that lists its state-dict entries in PyTorch registration order, keys prefixed with {@code prefix}. */
interface StateModule {
    void collectState(String prefix, List<StateEntry> out);
}
