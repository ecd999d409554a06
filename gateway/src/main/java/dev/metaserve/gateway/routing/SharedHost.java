package dev.metaserve.gateway.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPUs of one machine, shared by the nodes that run on it (nodes report the same host): how many of its cores the
 * calls open to its nodes keep busy, so that a request can be told how much the other nodes' work slows it. A node
 * with {@code c} calls open and {@code t} intra-op threads keeps {@code min(c t, its cores)} cores busy; the machine
 * has as many cores as the largest of its nodes reports (a node pinned to some of them reports fewer). A request to a
 * node is slowed by {@code max(1, cores busy with it / cores)}: nothing while the machine has a core free for each of
 * its threads, in proportion once the threads outnumber the cores.
 *
 * <p>Busy cores change by one atomic addition per call start and end; a factor reads two counters.
 */
public final class SharedHost {
    private final String name;
    private final AtomicInteger cores = new AtomicInteger(1);
    private final AtomicInteger busyCores = new AtomicInteger();

    public SharedHost(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** A node of this many cores runs here: the machine has at least as many. */
    void admit(int nodeCores) {
        cores.accumulateAndGet(Math.max(1, nodeCores), Math::max);
    }

    public int cores() {
        return cores.get();
    }

    /** Cores the open calls of all nodes here keep busy. */
    public int busyCores() {
        return busyCores.get();
    }

    /** A node's calls open went from {@code before} to {@code after}. */
    void callsChanged(NodeUse use, int before, int after) {
        int change = use.busyCores(after) - use.busyCores(before);
        if (change != 0) {
            busyCores.addAndGet(change);
        }
    }

    /**
     * How much the machine's other work slows one more call to the node: 1 while the cores busy with it do not outnumber
     * the machine's.
     *
     * @param open the node's calls open now (without the new one)
     */
    double factor(NodeUse use, int open) {
        int withCall = busyCores.get() - use.busyCores(open) + use.busyCores(open + 1);
        return Math.max(1.0, withCall / (double) cores.get());
    }

    /** How many cores a node keeps busy with a number of calls open: a thread each, up to the cores it may use. */
    record NodeUse(int threadsPerCall, int cores) {
        NodeUse {
            threadsPerCall = Math.max(1, threadsPerCall);
            cores = Math.max(1, cores);
        }

        int busyCores(int calls) {
            return (int) Math.min((long) Math.max(0, calls) * threadsPerCall, cores);
        }
    }

    @Override
    public String toString() {
        return "host " + name + " (" + busyCores.get() + " of " + cores.get() + " cores busy)";
    }
}
