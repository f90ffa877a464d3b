import type { ToolDefinition } from "@codetether/core";

export const weatherTool: ToolDefinition = {
  name: "get_weather",
  description: "Get weather",
  parameters: {
    type: "object",
    properties: { city: { type: "string", description: "City" } },
    required: ["city"],
  },
};

/** The example of Google's FunctionGemma "formatting and best practices" page. */
export const currentWeatherTool: ToolDefinition = {
  name: "get_current_weather",
  description: "Gets the current weather in a given location.",
  parameters: {
    type: "object",
    properties: {
      location: {
        type: "string",
        description: 'The city and state, e.g. "San Francisco, CA" or "Tokyo, JP"',
      },
      unit: {
        type: "string",
        enum: ["celsius", "fahrenheit"],
        description: "The unit to return the temperature in.",
      },
    },
    required: ["location"],
  },
};
