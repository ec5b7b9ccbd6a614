/** A small set of line icons drawn for Stockroom (20×20, currentColor). */
import type { ReactElement } from 'react';

const paths: Record<string, ReactElement> = {
  store: (
    <>
      <path d="M3.5 8.5V16a1 1 0 0 0 1 1h11a1 1 0 0 0 1-1V8.5" />
      <path d="M2.5 6.5 4 3h12l1.5 3.5a2.2 2.2 0 0 1-4.2 1 2.2 2.2 0 0 1-4.1 0 2.2 2.2 0 0 1-4.2 0 2.2 2.2 0 0 1-2.5-1Z" />
      <path d="M8 17v-4.5h4V17" />
    </>
  ),
  product: (
    <>
      <path d="M10.6 2.5H16a1.5 1.5 0 0 1 1.5 1.5v5.4a1 1 0 0 1-.3.7l-7.4 7.4a1 1 0 0 1-1.4 0L2.5 11.6a1 1 0 0 1 0-1.4l7.4-7.4a1 1 0 0 1 .7-.3Z" />
      <circle cx="13.5" cy="6.5" r="1.2" />
    </>
  ),
  customer: (
    <>
      <circle cx="10" cy="7" r="3.2" />
      <path d="M3.8 17c.7-3.1 3.2-5 6.2-5s5.5 1.9 6.2 5" />
    </>
  ),
  order: (
    <>
      <path d="M5 2.5h10v15l-2.5-1.5-2.5 1.5-2.5-1.5L5 17.5Z" />
      <path d="M7.5 7h5M7.5 10h5M7.5 13h3" />
    </>
  ),
  plus: <path d="M10 4v12M4 10h12" />,
  shell: (
    <>
      <rect x="2.5" y="3.5" width="15" height="13" rx="1.5" />
      <path d="m6 8 2.5 2L6 12M10.5 12.5H14" />
    </>
  ),
  ledger: (
    <>
      <path d="M4 3.5h12v13H4z" />
      <path d="M7 7h6M7 10h6M7 13h4" />
    </>
  ),
  schema: (
    <>
      <ellipse cx="10" cy="4.8" rx="6" ry="2.3" />
      <path d="M4 4.8v10.4c0 1.3 2.7 2.3 6 2.3s6-1 6-2.3V4.8M4 10c0 1.3 2.7 2.3 6 2.3s6-1 6-2.3" />
    </>
  ),
  search: (
    <>
      <circle cx="8.5" cy="8.5" r="5" />
      <path d="m12.3 12.3 4.2 4.2" />
    </>
  ),
  close: <path d="m5 5 10 10M15 5 5 15" />,
  chevronRight: <path d="m8 5 5 5-5 5" />,
  chevronDown: <path d="m5 8 5 5 5-5" />,
  history: (
    <>
      <path d="M3.5 10a6.5 6.5 0 1 0 2-4.7L3.5 7.2" />
      <path d="M3.5 3.5v3.7h3.7M10 6.5V10l2.5 1.5" />
    </>
  ),
  trash: <path d="M4 5.5h12M8 5.5V3.5h4v2M5.5 5.5l.8 11h7.4l.8-11" />,
  edit: <path d="m12.5 3.5 4 4L7 17H3v-4Z" />,
  truck: (
    <>
      <path d="M2.5 5h9v8h-9zM11.5 8h3l3 3v2h-6" />
      <circle cx="6" cy="14.5" r="1.5" />
      <circle cx="14.5" cy="14.5" r="1.5" />
    </>
  ),
  box: (
    <>
      <path d="m10 2.5 7 3.5v8L10 17.5 3 14V6Z" />
      <path d="m3 6 7 3.5L17 6M10 9.5v8" />
    </>
  ),
  alert: (
    <>
      <circle cx="10" cy="10" r="7.5" />
      <path d="M10 6v5M10 13.5v.5" />
    </>
  ),
  check: <path d="m4.5 10.5 3.5 3.5 7.5-8" />,
  play: <path d="M6 4v12l10-6Z" />,
};

export type IconName = keyof typeof paths;

export function Icon({ name, size = 20, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths[name]}
    </svg>
  );
}
