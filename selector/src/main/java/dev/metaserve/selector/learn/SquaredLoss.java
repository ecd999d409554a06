package dev.metaserve.selector.learn;

/** Weighted squared error: pull {@code w (y - f)}, hessian {@code w}. */
final class SquaredLoss implements Loss {
    private final double[] y;
    private final double[] w;

    SquaredLoss(double[] y, double[] w) {
        if (y.length != w.length) {
            throw new IllegalArgumentException("squared loss: " + y.length + " targets but " + w.length + " weights");
        }
        this.y = y;
        this.w = w;
    }

    @Override
    public double base() {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            sum += w[i] * y[i];
            total += w[i];
        }
        return sum / total;
    }

    @Override
    public void gradients(double[] prediction, double[] pull, double[] hessian) {
        for (int i = 0; i < y.length; i++) {
            pull[i] = w[i] * (y[i] - prediction[i]);
            hessian[i] = w[i];
        }
    }
}
