#!/usr/bin/env bash
# Regenerates the demo voicemails and greetings in assets/demo/: real speech from espeak-ng, resampled
# to 8 kHz mono and encoded to AMR-NB by sox (mode 2, 5.9 kbit/s; sox always uses DTX, as carriers do).
# Needs: espeak-ng, sox with AMR-NB support (Debian: apt-get install -y espeak-ng sox libsox-fmt-all).
set -euo pipefail
cd "$(dirname "$0")/../assets/demo"
command -v espeak-ng >/dev/null || { echo "espeak-ng is missing: apt-get install -y espeak-ng" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox is missing: apt-get install -y sox libsox-fmt-all" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say() { # name voice speed text
  espeak-ng -v "$2" -s "$3" -w "$tmp/$1.wav" "$4"
  sox "$tmp/$1.wav" -r 8000 -c 1 -t amr-nb -C 2 "$1.amr"
}
say vm01 en-us 165 "Hi, it's Dana from the dentist's office. Just confirming your cleaning on Thursday at ten. Call us back if you need to reschedule."
say vm02 en-gb 160 "Hey, it's Sam. Are we still on for dinner tonight? Let me know."
say vm03 en-us+f3 170 "This is the pharmacy. Your prescription is ready for pickup."
say vm04 en-us 150 "Hello, this is Mark from the bank's fraud department. Please call us at your earliest convenience about a recent transaction."
say vm05 en-gb+m3 175 "Hi! Happy birthday! Hope you have a great day. Talk soon."
say vm06 en-us+f2 160 "It's mum. Nothing urgent, just call me when you get a minute."
say vm07 en-us 180 "Your package could not be delivered today. We will try again tomorrow between nine and five."
say vm08 en-gb 155 "Hi, it's Priya from work. The meeting moved to two thirty. See you there."
say vm09 en-us+m2 165 "This is the auto shop. Your car is ready. We close at six."
say vm10 en-us 160 "Hey, it's Alex. I found your keys in my jacket. I'll drop them off later."
say vm11 en-gb+f4 150 "Good morning, this is the school office calling about tomorrow's field trip form."
say vm12 en-us 170 "Hi, this is a reminder that your library books are due on Monday."
say greeting-normal en-us 160 "Hi, you've reached Jordan. I can't take your call right now. Please leave a message after the tone."
say greeting-holiday en-us 160 "Hi, it's Jordan. I'm away until the fifteenth with limited access to my phone. Leave a message and I'll call you back when I return."
ls -l ./*.amr
