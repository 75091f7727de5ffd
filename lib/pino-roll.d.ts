// pino-roll ships no type declarations: the part of its API lib/log.ts uses.
declare module "pino-roll" {
  import type { DestinationStream } from "pino";
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: "daily" | "hourly" | number;
    mkdir?: boolean;
    extension?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
  }
  type RollStream = DestinationStream & {
    flush?(cb?: (err?: Error) => void): void;
    end(): void;
    on(event: string, cb: (...args: unknown[]) => void): void;
    once(event: string, cb: (...args: unknown[]) => void): void;
  };
  export default function pinoRoll(opts: PinoRollOptions): Promise<RollStream>;
}
