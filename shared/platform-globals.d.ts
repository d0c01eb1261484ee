// The few web-platform globals that both Node (>= 18) and Chromium provide. shared/ is compiled without
// DOM or Node types, so they are declared here, narrowly, rather than pulling in either library.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare function btoa(data: string): string;
declare function atob(data: string): string;
