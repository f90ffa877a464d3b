export { loadDescription } from "./util/description.js";
