// Configuration fuzzing (test/fuzz/config-fuzz.ts), synthesizing share 2 of 2 of the environments.
import { describeFuzz } from "./config-fuzz";

describeFuzz(1, 2);
