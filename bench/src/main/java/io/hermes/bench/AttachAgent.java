package io.hermes.bench;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM with the attach API, as async-profiler's own launcher does:
 * {@code java -cp hermes-bench.jar io.hermes.bench.AttachAgent PID /path/libasyncProfiler.so "start,event=cpu,…"}.
 * ({@code jcmd PID JVMTI.agent_load} splits the agent's {@code key=value} options as its own arguments,
 * so async-profiler receives none of them.) The agent's messages go to the target JVM's output.
 */
public final class AttachAgent {
    private AttachAgent() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length != 3) {
            System.err.println("usage: AttachAgent PID AGENT_PATH OPTIONS");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(argv[0]);
        try {
            vm.loadAgentPath(argv[1], argv[2]);
        } finally {
            vm.detach();
        }
    }
}
