/* The "Publish at" picker's one-click choices (publishing/channels/time_picker.py):
 * the channel's next free posting slots and its best times, fetched for the channel
 * the form names and fetched again when that changes. A click writes the time into
 * Wagtail's date-time box; the server checks it like a typed one. */
(() => {
  const { Controller } = window.StimulusModule;
  class TimePickerController extends Controller {
    static targets = ['choices'];
    static values = {
      url: String,
      channel: String,
      channelField: String,
      exclude: String,
      failed: String,
    };

    connect() {
      this.onChange = (event) => {
        if (event.target.name === this.channelFieldValue) this.load();
      };
      this.form?.addEventListener('change', this.onChange);
      this.load();
    }

    disconnect() {
      this.form?.removeEventListener('change', this.onChange);
    }

    get form() {
      return this.element.closest('form');
    }

    get input() {
      return this.element.querySelector('input[type=text]');
    }

    /* The chosen channel ids: the fixed one, or the named field's (checked) values. */
    get channels() {
      if (this.channelValue) return [this.channelValue];
      const fields = this.form?.querySelectorAll(`[name="${this.channelFieldValue}"]`) ?? [];
      return [...fields]
        .filter((field) => field.type !== 'checkbox' || field.checked)
        .map((field) => field.value)
        .filter(Boolean);
    }

    async load() {
      const channels = this.channels;
      const box = this.choicesTarget;
      if (!channels.length) {
        box.replaceChildren();
        return;
      }
      const query = new URLSearchParams(channels.map((id) => ['channel', id]));
      if (this.excludeValue) query.append('exclude', this.excludeValue);
      try {
        const response = await fetch(`${this.urlValue}?${query}`, {
          headers: { Accept: 'application/json' },
        });
        if (!response.ok || response.redirected) throw new Error(response.statusText);
        this.show(await response.json());
      } catch (error) {
        box.textContent = this.failedValue;
      }
    }

    show({ channels, texts }) {
      const several = channels.length > 1;
      this.choicesTarget.replaceChildren(
        ...channels.map((channel) => this.group(channel, texts, several)),
      );
    }

    group(channel, texts, several) {
      const group = document.createElement('div');
      group.className = 'time-picker__group';
      group.dataset.channel = channel.id;
      if (several) group.append(this.text('strong', channel.label));
      group.append(this.row(texts.slots, channel.slots, 'slot') ?? this.text('p', texts.none));
      const best = channel.best_times;
      if (best?.ready && best.times.length) {
        group.append(this.row(texts.best, best.times, 'best'));
      } else if (best && !best.ready) {
        const note = this.text('p', best.note);
        note.className = 'time-picker__needed';
        group.append(note);
      }
      return group;
    }

    row(title, choices, kind) {
      if (!choices?.length) return null;
      const row = document.createElement('p');
      row.className = `time-picker__row time-picker__row--${kind}`;
      row.append(this.text('span', title));
      choices.forEach((choice) => {
        const button = this.text('button', choice.label);
        button.type = 'button';
        button.className = 'button button-small button-secondary time-picker__choice';
        button.dataset.value = choice.value;
        button.addEventListener('click', () => this.choose(choice.value));
        row.append(' ', button);
      });
      return row;
    }

    text(tag, content) {
      const element = document.createElement(tag);
      element.textContent = content;
      return element;
    }

    choose(value) {
      const input = this.input;
      input.value = value;
      // As if typed: the share tab's warnings and Wagtail's unsaved-changes notice.
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  window.wagtail.app.register('time-picker', TimePickerController);
})();
