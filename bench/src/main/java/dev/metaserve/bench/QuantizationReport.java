package dev.metaserve.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code bench quantization} measured, as tables for the terminal and as JSON, with the aims checked. */
record QuantizationReport(List<Quality> quality, Map<EncoderLatency.Setting, Map<String, Double>> latencyMillis,
                          List<Gap> gaps, Map<String, String> skipped) {
    static final double AIM_MEAN_COSINE = 0.99;
    static final double AIM_SPEED_UP = 1.5;
    static final EncoderLatency.Setting AIM_SHAPE = new EncoderLatency.Setting(16, 128);
    static final int AIM_GAP_SENTENCES = 32;

    /** One model on the held-out sentences; {@code calibrationSentences} and {@code quantizeSeconds} 0 if not ours. */
    record Quality(String model, int calibrationSentences, double sizeMb, double meanCosine, double minCosine,
                   double neighbourAgreement, double quantizeSeconds) {}

    /** Mean {@code 1 - cosine} to fp32 on the calibration sentences themselves and on the held-out ones. */
    record Gap(String method, int calibrationSentences, double calibrationError, double heldOutError) {
        double gap() {
            return heldOutError - calibrationError;
        }
    }

    double speedUp(EncoderLatency.Setting shape, String model) {
        Map<String, Double> medians = latencyMillis.get(shape);
        return medians.get(QuantizationBenchmark.FP32) / medians.get(model);
    }

    String format(int heldOut, int queries, int k, int threads, int repetitions) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nquality on %d held-out Austen sentences (cosine to fp32; top-%d "
                + "neighbours of %d queries among all %d, overlap with fp32's)%n", heldOut, k, queries, heldOut));
        out.append(String.format(Locale.ROOT, "%-24s %6s %8s %9s %9s %9s %10s%n", "model", "calib", "size MB",
                "mean cos", "min cos", "top-" + k, "quant s"));
        for (Quality q : quality) {
            out.append(String.format(Locale.ROOT, "%-24s %6s %8.1f %9.4f %9.4f %9.4f %10s%n", q.model(),
                    q.calibrationSentences() == 0 ? "-" : Integer.toString(q.calibrationSentences()), q.sizeMb(),
                    q.meanCosine(), q.minCosine(), q.neighbourAgreement(),
                    q.quantizeSeconds() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", q.quantizeSeconds())));
        }
        out.append(String.format(Locale.ROOT, "%nlatency, median ms of %d runs (speed-up over fp32), %d intra-op "
                + "threads, batch x tokens%n", repetitions, threads));
        out.append(String.format(Locale.ROOT, "%-24s", "model"));
        latencyMillis.keySet().forEach(s -> out.append(String.format(Locale.ROOT, " %17s", s.batch() + "x" + s.sequenceLength())));
        out.append('\n');
        for (Quality q : quality) {
            out.append(String.format(Locale.ROOT, "%-24s", q.model()));
            latencyMillis.keySet().forEach(s -> out.append(String.format(Locale.ROOT, " %9.2f (%4.2fx)",
                    latencyMillis.get(s).get(q.model()), speedUp(s, q.model()))));
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "%ngeneralisation: mean 1 - cosine to fp32 on the calibration verses "
                + "vs on the held-out sentences%n"));
        out.append(String.format(Locale.ROOT, "%-10s %6s %12s %12s %10s%n", "method", "calib", "calib err",
                "held-out err", "gap"));
        for (Gap g : gaps) {
            out.append(String.format(Locale.ROOT, "%-10s %6d %12.5f %12.5f %10.5f%n", g.method(),
                    g.calibrationSentences(), g.calibrationError(), g.heldOutError(), g.gap()));
        }
        skipped.forEach((method, reason) -> out.append(String.format("%nskipped %s: %s%n", method, reason)));
        out.append(String.format("%naims%n"));
        aims().forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    /** The three aims, one line each, stating what was measured. */
    List<String> aims() {
        List<String> lines = new ArrayList<>();
        double anchor = quality.stream().filter(q -> q.model().equals(QuantizationBenchmark.ANCHOR))
                .mapToDouble(Quality::meanCosine).findFirst().orElse(Double.NaN);
        for (Quality q : quality) {
            if (q.calibrationSentences() == 0) {
                continue;
            }
            boolean cosine = q.meanCosine() >= AIM_MEAN_COSINE && q.meanCosine() > anchor;
            double speedUp = latencyMillis.containsKey(AIM_SHAPE) ? speedUp(AIM_SHAPE, q.model()) : Double.NaN;
            lines.add(String.format(Locale.ROOT, "%-10s mean cos %.4f (>= %.2f and above anchor %.4f: %s); "
                            + "%dx%d speed-up %.2fx (>= %.1fx: %s)", q.model(), q.meanCosine(), AIM_MEAN_COSINE,
                    anchor, yes(cosine), AIM_SHAPE.batch(), AIM_SHAPE.sequenceLength(), speedUp, AIM_SPEED_UP,
                    yes(speedUp >= AIM_SPEED_UP)));
        }
        Gap minmax = gap("minmax");
        Gap metaaug = gap("metaaug");
        if (minmax == null || metaaug == null) {
            lines.add("metaaug vs minmax at " + AIM_GAP_SENTENCES + " calibration sentences: not measured"
                    + (skipped.containsKey("metaaug") ? " (metaaug skipped)" : ""));
        } else {
            lines.add(String.format(Locale.ROOT, "metaaug held-out error %.5f vs minmax %.5f at %d calibration "
                            + "sentences (metaaug ahead: %s)", metaaug.heldOutError(), minmax.heldOutError(),
                    AIM_GAP_SENTENCES, yes(metaaug.heldOutError() < minmax.heldOutError())));
        }
        return lines;
    }

    private Gap gap(String method) {
        return gaps.stream().filter(g -> g.method().equals(method) && g.calibrationSentences() == AIM_GAP_SENTENCES)
                .findFirst().orElse(null);
    }

    private static String yes(boolean met) {
        return met ? "yes" : "no";
    }

    /** The measurements as JSON-ready maps: quality, latency, generalisation, skipped, aims. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("quality", quality);
        List<Map<String, Object>> latency = new ArrayList<>();
        latencyMillis.forEach((shape, medians) -> medians.forEach((model, millis) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", model);
            row.put("batch", shape.batch());
            row.put("sequenceLength", shape.sequenceLength());
            row.put("medianMs", millis);
            row.put("speedUpOverFp32", speedUp(shape, model));
            latency.add(row);
        }));
        json.put("latency", latency);
        List<Map<String, Object>> generalisation = new ArrayList<>();
        for (Gap g : gaps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("method", g.method());
            row.put("calibrationSentences", g.calibrationSentences());
            row.put("calibrationError", g.calibrationError());
            row.put("heldOutError", g.heldOutError());
            row.put("gap", g.gap());
            generalisation.add(row);
        }
        json.put("generalisation", generalisation);
        json.put("skipped", skipped);
        json.put("aims", aims());
        return json;
    }
}
