// Fault tests kill, restart and wait on real processes: minutes, not seconds.
jest.setTimeout(180_000);
