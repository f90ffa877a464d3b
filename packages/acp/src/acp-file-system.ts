import type { AgentSideConnection } from "@agentclientprotocol/sdk";

/**
 * File access through the editor (ACP `fs/read_text_file` / `fs/write_text_file`): reads see unsaved
 * buffers and writes land in the editor. Paths are absolute, as the protocol requires.
 */
export interface AcpFileSystem {
  readTextFile(sessionId: string, path: string): Promise<string>;
  writeTextFile(sessionId: string, path: string, content: string): Promise<void>;
}

/** The editor's file system over an ACP connection. */
export function clientFileSystem(connection: AgentSideConnection): AcpFileSystem {
  return {
    async readTextFile(sessionId, path) {
      const res = await connection.readTextFile({ sessionId, path });
      return res.content;
    },
    async writeTextFile(sessionId, path, content) {
      await connection.writeTextFile({ sessionId, path, content });
    },
  };
}
