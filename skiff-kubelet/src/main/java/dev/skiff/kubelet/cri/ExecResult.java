package dev.skiff.kubelet.cri;

/**
 * The end of a command run in a container with CRI's ExecSync.
 *
 * @param exitCode the command's exit code
 * @param stdout its standard output (the runtime caps it at 16 MiB)
 * @param stderr its standard error
 */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {}
