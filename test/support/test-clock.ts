// A clock tests move forward instead of waiting.
import type { Clock } from "../../shared/usecases/deps.js";

export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export const minutes = (n: number): number => n * 60_000;
export const days = (n: number): number => n * 24 * 60 * 60_000;

/** A clock standing still at `start` until a test moves it: every reading is the same instant. */
export class FrozenClock implements Clock {
  private at: number;

  constructor(start = "2024-03-01T12:00:00.000Z") {
    this.at = Date.parse(start);
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
