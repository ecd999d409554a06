package dev.metaserve.selector.baselines;

import java.util.List;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Builds Tribuo datasets and examples from feature vectors with fixed feature names. */
final class TribuoData<T extends Output<T>> {
    private final OutputFactory<T> factory;
    private final String[] names;

    TribuoData(OutputFactory<T> factory, List<String> names) {
        this.factory = factory;
        this.names = names.toArray(String[]::new);
    }

    MutableDataset<T> dataset(String description, List<double[]> x, List<T> y) {
        MutableDataset<T> data = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory), factory);
        for (int i = 0; i < x.size(); i++) {
            data.add(example(y.get(i), x.get(i)));
        }
        return data;
    }

    /** An example to predict: its output is the factory's unknown output. */
    Example<T> query(double[] x) {
        return example(factory.getUnknownOutput(), x);
    }

    private Example<T> example(T output, double[] x) {
        if (x.length != names.length) {
            throw new IllegalArgumentException("expected " + names.length + " features, got " + x.length);
        }
        return new ArrayExample<>(output, names, x);
    }
}
