// Configuration fuzzing (test/fuzz/config-fuzz.ts), synthesizing share 1 of 2 of the environments.
import { describeFuzz } from "./config-fuzz";

describeFuzz(0, 2);
