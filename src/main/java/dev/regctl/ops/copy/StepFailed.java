package dev.regctl.ops.copy;

import dev.regctl.oci.Descriptor;

/**
 * A failure of the executor, with the step (and blob) it happened in, on its way to
 * {@link Failures#copy}, which makes it a {@link CopyFailure} from its cause. Never leaves the package.
 */
final class StepFailed extends RuntimeException {
    private final CopyStep step;
    private final transient Descriptor blob;

    StepFailed(CopyStep step, Descriptor blob, RuntimeException cause) {
        super(cause.getMessage(), cause, false, false);
        this.step = step;
        this.blob = blob;
    }

    CopyStep step() {
        return step;
    }

    /** The blob of a blob step's failure, else null. */
    Descriptor blob() {
        return blob;
    }

    @Override
    public synchronized RuntimeException getCause() {
        return (RuntimeException) super.getCause();
    }
}
