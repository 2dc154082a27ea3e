/** A named lease: one holder at a time runs the task it names, until `expires_at`. */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}
