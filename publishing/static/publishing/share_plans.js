/* The article's "Social sharing" tab: a live character count per share plan, its
 * preview, and "all channels of a unit". The server checks everything again. */
(() => {
  const { Controller } = window.StimulusModule;
  const format = (text, values) =>
    text.replace(/%\((\w+)\)s/g, (match, name) => String(values[name] ?? ''));

  class SharePlansController extends Controller {
    static targets = ['unit', 'status'];
    static values = { data: Object, previewUrl: String, prefix: String };

    connect() {
      this.recount();
    }

    field(row, name) {
      return row.querySelector(`[name$="-${name}"]`);
    }

    /* The rows still on the page (not deleted). */
    get rows() {
      return [...this.element.querySelectorAll('[data-inline-panel-child]')].filter(
        (row) =>
          !row.classList.contains('deleted') && this.field(row, 'DELETE')?.value !== '1',
      );
    }

    pageValue(id) {
      return document.getElementById(id)?.value ?? '';
    }

    /* The text as the network gets it, placeholders filled in from the form. */
    rendered(row, channel) {
      const data = this.dataValue;
      const values = {
        title: this.pageValue('id_title'),
        intro: this.pageValue('id_intro'),
        url: data.links[channel.network] ?? '',
        hashtags: data.hashtags,
      };
      const message = this.field(row, 'message')?.value ?? '';
      const text = message.trim() ? message : channel.template;
      return text.replace(/\{(title|intro|url|hashtags)\}/g, (match, name) => values[name]).trim();
    }

    recount() {
      const texts = this.dataValue.texts || {};
      this.rows.forEach((row) => {
        const count = row.querySelector('[data-share-plans-count]');
        const warning = row.querySelector('[data-share-plans-warning]');
        if (!count) return;
        const channel = this.dataValue.channels?.[this.field(row, 'channel')?.value];
        warning.hidden = !channel?.reconnect;
        warning.textContent = channel?.reconnect ? texts.reconnect : '';
        this.broadcast(row, channel, texts);
        this.kinds(row, channel);
        if (!channel) {
          count.textContent = '';
          return;
        }
        const length = [...this.rendered(row, channel)].length;
        const usual = (this.field(row, 'message')?.value ?? '').trim() ? '' : ` ${texts.usual}`;
        let text = format(texts.count, { count: length, limit: channel.limit }) + usual;
        if (channel.limit && length > channel.limit) {
          const over = length - channel.limit;
          text += ` ${format(texts.over, { over, network: channel.network_label })}`;
        }
        count.textContent = text;
        count.classList.toggle('share-plan-tools__count--over', length > channel.limit);
      });
    }

    /* Only the kinds of post the row's network takes (a Zalo OA: an article);
     * a kind it does not take goes back to the usual one. */
    kinds(row, channel) {
      const select = this.field(row, 'kind');
      if (!select) return;
      const offered = channel ? new Map(channel.kinds) : null;
      [...select.options].forEach((option) => {
        option.dataset.label ??= option.textContent;
        const label = offered ? offered.get(option.value) : option.dataset.label;
        option.hidden = label === undefined;
        option.disabled = label === undefined;
        option.textContent = label ?? option.dataset.label;
      });
      if (select.selectedOptions[0]?.disabled) select.value = '';
    }

    /* "Send to followers" only on a Zalo OA: its broadcasts left this month, and
     * the wait until 06:00 when the plan's time is outside 06:00-21:59. */
    broadcast(row, channel, texts) {
      const zalo = channel?.network === 'zalo';
      row.querySelectorAll('.share-plan-broadcast').forEach((element) => {
        element.style.display = zalo ? '' : 'none';
      });
      const left = row.querySelector('[data-share-plans-left]');
      if (left) left.textContent = zalo ? channel.broadcasts_left : '';
      const note = row.querySelector('[data-share-plans-window]');
      if (!note) return;
      const time = (this.field(row, 'publish_at')?.value ?? '').match(/(\d{1,2}):\d{2}/);
      const outside = Boolean(time) && (Number(time[1]) < 6 || Number(time[1]) >= 22);
      note.hidden = !(zalo && this.field(row, 'broadcast')?.checked && outside);
      if (!note.hidden && !note.textContent.trim()) note.textContent = texts.window;
    }

    /* One new row per channel of the chosen unit that no row plans yet. */
    addUnit() {
      const unit = this.dataValue.units.find((u) => String(u.id) === this.unitTarget.value);
      if (!unit) return;
      const planned = new Set(this.rows.map((row) => this.field(row, 'channel')?.value));
      const missing = unit.channels.map(String).filter((id) => !planned.has(id));
      const add = document.getElementById(`id_${this.prefixValue}-ADD`);
      const total = document.getElementById(`id_${this.prefixValue}-TOTAL_FORMS`);
      missing.forEach((id) => {
        add.click();
        const index = Number(total.value) - 1;
        const select = document.getElementById(`id_${this.prefixValue}-${index}-channel`);
        select.value = id;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
      const texts = this.dataValue.texts;
      this.statusTarget.textContent = missing.length
        ? format(texts.added, { count: missing.length })
        : texts.none_left;
      this.recount();
    }

    /* The post as the network will show it, made on the server from the form. */
    async preview(event) {
      const row = event.target.closest('[data-inline-panel-child]');
      const box = row.querySelector('[data-share-plans-preview]');
      const data = this.dataValue;
      const body = new FormData();
      ['channel', 'message', 'kind'].forEach((name) =>
        body.append(name, this.field(row, name)?.value ?? ''),
      );
      body.append('title', this.pageValue('id_title'));
      body.append('slug', this.pageValue('id_slug'));
      body.append('intro', this.pageValue('id_intro'));
      body.append('cover_image', this.pageValue('id_cover_image'));
      body.append('page', data.page ?? '');
      body.append('parent', data.parent ?? '');
      const config = window.wagtailConfig || {};
      box.hidden = false;
      try {
        const response = await fetch(this.previewUrlValue, {
          method: 'POST',
          body,
          headers: { [config.CSRF_HEADER_NAME || 'X-CSRFToken']: config.CSRF_TOKEN },
        });
        // A lost session answers with the login page: not a preview.
        if (response.status >= 500 || response.redirected) throw new Error(response.statusText);
        box.innerHTML = await response.text();
      } catch (error) {
        box.textContent = data.texts.failed;
      }
    }
  }

  window.wagtail.app.register('share-plans', SharePlansController);
})();
