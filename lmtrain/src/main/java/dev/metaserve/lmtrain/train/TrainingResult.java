package dev.metaserve.lmtrain.train;

/**
 * What a training run did.
 *
 * @param steps optimizer steps taken
 * @param tokensSeen predicted tokens over all steps (steps x batch x window)
 * @param finalTrainLoss mean training loss over the last steps (up to 50)
 * @param seconds wall-clock training time
 * @param stoppedByTime whether the time bound ended the run before the planned steps
 */
public record TrainingResult(int steps, long tokensSeen, double finalTrainLoss, double seconds, boolean stoppedByTime) {}
