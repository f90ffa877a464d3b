export { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from "./fake-github.js";
