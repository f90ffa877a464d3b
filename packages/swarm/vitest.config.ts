import { packageTestConfig, txtAsString } from "../../vitest.preset.js";

export default packageTestConfig({ include: ["test/**/*.test.ts"], plugins: [txtAsString] });
