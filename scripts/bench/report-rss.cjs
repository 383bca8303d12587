// Preloaded into a benchmarked process: reports its peak resident memory when it exits.
process.on("exit", () => process.stderr.write(`__rss__ ${process.resourceUsage().maxRSS}\n`));
