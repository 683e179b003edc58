package dev.chorus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process from {@code /proc/<pid>/stat} (user + system, clock ticks of 1/100 s), as the harness reads it. */
final class ProcCpu {
    private ProcCpu() {
    }

    /** Seconds of CPU the process has used so far, or -1 when it cannot be read. */
    static double seconds(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static double selfSeconds() {
        return seconds(ProcessHandle.current().pid());
    }

    /** The pid of the only process whose command name is {@code comm}, or -1 when there is none or several. */
    static long onlyProcessNamed(String comm) {
        long found = -1;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(d.resolve("comm")).trim().equals(comm)) {
                        if (found > 0) {
                            return -1;
                        }
                        found = Long.parseLong(name);
                    }
                } catch (IOException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return found;
    }
}
