// cdktf records a full stack trace (with an unlimited depth) for every token it creates, only
// ever shown when a token fails to resolve. Capturing and formatting those traces is about a
// quarter of synthesis time, so they are skipped while the app is built and synthesized; errors
// thrown meanwhile still carry their messages.
export function withoutTokenStackTraces<T>(fn: () => T): T {
  const capture = Error.captureStackTrace;
  const prepare = Error.prepareStackTrace;
  Error.captureStackTrace = () => undefined;
  Error.prepareStackTrace = () => "";
  try {
    return fn();
  } finally {
    Error.captureStackTrace = capture;
    Error.prepareStackTrace = prepare;
  }
}
