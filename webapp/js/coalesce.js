// Many events can ask for the same refetch at once (a batch of 50 links brings 50 "added" events).
// A coalesced loader runs one request at a time and, if asked again meanwhile, exactly once more
// afterwards, so the screen ends up current without a burst of identical requests.

/** Wraps an async loader; every call resolves when the screen reflects at least that call. */
export function coalesce(load) {
  let running = null;
  let again = false;
  return function run() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let result;
        do {
          again = false;
          result = await load();
        } while (again);
        return result;
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
